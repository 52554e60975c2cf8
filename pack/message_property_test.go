package pack_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter/prop"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

// messageProperties are the laws of Decode, Encode and Records: each is
// the typed form of a Python operation at offset 0 (unpack_from,
// pack_into, iter_unpack) and must agree with pystruct's dynamic form of
// that operation, value for value and error for error, on random formats,
// random Go types made for them and random buffers, longer and shorter
// than a record.
var messageProperties = []struct {
	name string
	prop func(seed int64) func(int64) string
}{
	{"decode reads the front of any buffer as unpack_from at offset 0 does, or fails as it does", propDecodeAgreesWithUnpackFrom},
	{"encode writes the front of any buffer as pack_into at offset 0 does, or fails as it does, and touches nothing after the record", propEncodeAgreesWithPackInto},
	{"records yields what iter_unpack yields, record by record, or its error after yielding nothing", propRecordsAgreesWithIterUnpack},
}

// TestMessageProperties checks each message property on 1000 random cases
// (200 with -short). Replay a failure with the seed it prints:
// go test ./pack -run 'TestMessageProperties/NAME' -gopter.seed=SEED.
func TestMessageProperties(t *testing.T) {
	seed := *gopterSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	for _, p := range messageProperties {
		runProperty(t, p.name, seed, "gopter.seed", 1000, prop.ForAll(p.prop(seed), gopterInt64()))
	}
}

// A msgModel is a random format and the Go type a Decode or Encode takes
// for it: a struct made for the format (a bindModel), or, for a format of
// one value, now and then a scalar (an array for a repeated code). A
// scalar's model is a struct of one field V of the scalar's type, so that
// bindModel's expectations apply to it; target is then V's type.
type msgModel struct {
	bindModel
	scalar bool
	target reflect.Type
}

// newMsgModel makes a random format and type: a bindModel two times in
// three, else a format of one item around which pad bytes may sit, bound
// to a scalar.
func newMsgModel(r *rand.Rand) msgModel {
	if r.IntN(3) != 0 {
		m := newBindModel(r)
		return msgModel{bindModel: m, target: m.t}
	}
	mode := "@=<>!"[r.IntN(5)]
	codes := strings.ReplaceAll(bindCodes[mode == '@'], "x", "")
	code := codes[r.IntN(len(codes))]
	kind := format.KindOf(format.Order(mode), code)
	count := 1
	if r.IntN(3) == 0 {
		count = 1 + r.IntN(4)
	}
	if kind == format.String || kind == format.Pascal {
		count = r.IntN(7)
	}
	var fs strings.Builder
	fs.WriteByte(mode)
	if r.IntN(3) == 0 {
		fmt.Fprintf(&fs, "%dx", r.IntN(4))
	}
	fmt.Fprintf(&fs, "%d%c", count, code)
	if r.IntN(3) == 0 {
		fmt.Fprintf(&fs, "%dx", r.IntN(4))
	}
	var elem reflect.Type
	switch kind {
	case format.Signed, format.Unsigned:
		elem = bindIntTypes[r.IntN(len(bindIntTypes))]
	case format.Float:
		elem = bindFloatTypes[r.IntN(2)]
	case format.Complex:
		elem = []reflect.Type{reflect.TypeFor[complex64](), reflect.TypeFor[complex128]()}[r.IntN(2)]
	case format.Bool:
		elem = reflect.TypeFor[bool]()
	case format.Char:
		elem = reflect.TypeFor[byte]()
	}
	var target reflect.Type
	var values []bindValue
	switch {
	case kind == format.String || kind == format.Pascal:
		target = []reflect.Type{reflect.TypeFor[[]byte](), reflect.TypeFor[string](), reflect.ArrayOf(count, reflect.TypeFor[byte]())}[r.IntN(bytesFieldChoices(kind))]
		values = []bindValue{{[]int{0}, -1, code, kind, count}}
	case count == 1 && r.IntN(4) != 0:
		target = elem
		values = []bindValue{{[]int{0}, -1, code, kind, count}}
	default:
		target = reflect.ArrayOf(count, elem)
		for j := range count {
			values = append(values, bindValue{[]int{0}, j, code, kind, count})
		}
	}
	t := reflect.StructOf([]reflect.StructField{{Name: "V", Type: target}})
	return msgModel{bindModel{fs.String(), t, values}, true, target}
}

// arg returns what Decode or Encode takes for the model's value sv (a
// struct of type m.t): a pointer to it, or to its scalar, or (if value)
// the struct or the scalar itself.
func (m msgModel) arg(sv reflect.Value, value bool) any {
	v := sv
	if m.scalar {
		v = sv.Field(0)
	}
	if value {
		return v.Interface()
	}
	return v.Addr().Interface()
}

// msgBufLen returns a random length for a buffer given a record of size
// bytes: a short one a quarter of the time (when there is one), else a
// record with up to 9 more bytes after it.
func msgBufLen(r *rand.Rand, size int) int {
	if size > 0 && r.IntN(4) == 0 {
		return r.IntN(size)
	}
	return size + r.IntN(10)
}

// msgRandBytes returns n random bytes, half of the time all small, so
// that values mostly fit narrow Go types.
func msgRandBytes(r *rand.Rand, n int) []byte {
	b := bindRandBytes(r, n)
	if r.IntN(2) == 0 {
		for i := range b {
			b[i] &= 0x3f
		}
	}
	return b
}

// msgCheckError describes how err differs from an *pack.Error with Op op
// and want's category, item and message, or returns "".
func msgCheckError(err error, op string, want *pack.Error) string {
	var e *pack.Error
	switch {
	case err == nil:
		return fmt.Sprintf("no error, want %v", want)
	case !errors.As(err, &e):
		return fmt.Sprintf("error %v has type %T, want *pack.Error", err, err)
	case e.Op != op || e.Format != want.Format || e.Item != want.Item || e.Err != want.Err || e.Msg != want.Msg || !errors.Is(err, want.Err):
		return fmt.Sprintf("error %#v, want Op %q and Format %q, Item %d, category %v, message %q as in %#v",
			e, op, want.Format, want.Item, want.Err, want.Msg, want)
	}
	return ""
}

// exportAll lets cmp look into the models' unexported fields (nil funcs).
var exportAll = cmp.Exporter(func(reflect.Type) bool { return true })

func propDecodeAgreesWithUnpackFrom(seed int64) func(int64) string {
	return func(n int64) string {
		r := rand.New(rand.NewPCG(uint64(seed), uint64(n)))
		m := newMsgModel(r)
		s := pack.MustCompile(m.fs)
		size := s.Size()
		buf := msgRandBytes(r, msgBufLen(r, size))
		orig := bytes.Clone(buf)
		call := fmt.Sprintf("Decode(%q, %x) into *%v", m.fs, buf, m.target)

		dst := reflect.New(m.target)
		got, err := s.Decode(buf, dst.Interface())
		vals, uerr := s.UnpackFrom(buf, 0)
		if !bytes.Equal(buf, orig) {
			return call + " changed the buffer"
		}
		if uerr != nil {
			var ue *pack.Error
			if !errors.As(uerr, &ue) || !errors.Is(uerr, pack.ErrBuffer) || len(buf) >= size {
				return fmt.Sprintf("UnpackFrom(%q, %x, 0): %v", m.fs, buf, uerr)
			}
			if msg := msgCheckError(err, "decode", ue); msg != "" || got != 0 {
				return fmt.Sprintf("%s = %d, %s", call, got, msg)
			}
			if !dst.Elem().IsZero() {
				return fmt.Sprintf("%s failed but set %+v", call, dst.Elem())
			}
			return ""
		}
		want := reflect.New(m.t).Elem()
		if bad := m.expect(vals, want); bad >= 0 {
			var e *pack.Error
			if got != 0 || !errors.As(err, &e) || e.Op != "decode" || e.Item != bad || !errors.Is(err, pack.ErrRange) {
				return fmt.Sprintf("%s = %d, %v; want 0 and an ErrRange for item %d (%v)", call, got, err, bad, vals[bad])
			}
			return ""
		}
		if err != nil || got != size {
			return fmt.Sprintf("%s = %d, %v; want %d, nil", call, got, err, size)
		}
		wantV := want
		if m.scalar {
			wantV = want.Field(0)
		}
		if diff := cmp.Diff(wantV.Interface(), dst.Elem().Interface(), bindFloatsEqual, exportAll); diff != "" {
			return fmt.Sprintf("%s mismatch with UnpackFrom (-want +got):\n%s", call, diff)
		}
		// Nothing decoded aliases the buffer.
		for i := range buf {
			buf[i] = ^buf[i]
		}
		if diff := cmp.Diff(wantV.Interface(), dst.Elem().Interface(), bindFloatsEqual, exportAll); diff != "" {
			return fmt.Sprintf("%s: the decoded value changed with the buffer (-want +got):\n%s", call, diff)
		}
		return ""
	}
}

func propEncodeAgreesWithPackInto(seed int64) func(int64) string {
	return func(n int64) string {
		r := rand.New(rand.NewPCG(uint64(seed), uint64(n)))
		m := newMsgModel(r)
		s := pack.MustCompile(m.fs)
		size := s.Size()
		v := reflect.New(m.t)
		m.fill(r, v.Elem())
		orig := propFill(msgBufLen(r, size), uint8(r.Uint32()))
		value := r.IntN(2) == 0
		call := fmt.Sprintf("Encode(%q, buf[%d], %+v)", m.fs, len(orig), v.Elem())

		got := bytes.Clone(orig)
		wrote, err := s.Encode(got, m.arg(v.Elem(), value))
		want := bytes.Clone(orig)
		perr := s.PackInto(want, 0, m.dynamic(v.Elem())...)
		if len(got) > size && !bytes.Equal(got[size:], orig[size:]) {
			return fmt.Sprintf("%s changed bytes after the record: %x, was %x", call, got, orig)
		}
		if perr != nil {
			var pe *pack.Error
			if !errors.As(perr, &pe) {
				return fmt.Sprintf("PackInto: %v", perr)
			}
			if msg := msgCheckError(err, "encode", pe); msg != "" || wrote != 0 {
				return fmt.Sprintf("%s = %d, %s", call, wrote, msg)
			}
			if len(orig) < size && !bytes.Equal(got, orig) {
				return fmt.Sprintf("%s into a short buffer wrote %x, was %x", call, got, orig)
			}
			return ""
		}
		if err != nil || wrote != size {
			return fmt.Sprintf("%s = %d, %v; want %d, nil", call, wrote, err, size)
		}
		if !bytes.Equal(got, want) {
			return fmt.Sprintf("%s wrote %x, PackInto wrote %x", call, got, want)
		}
		return ""
	}
}

// A msgRecord is a static struct for Records: its formats are random, one
// item per field (codes chosen among those each field binds to), with pad
// bytes between them now and then.
type msgRecord struct {
	I int32
	U uint16
	F float32
	D float64
	B bool
	C byte
	S string
	Y []byte
	A [3]byte
	N [2]int64
	Z complex128
}

// msgRecordsCases make a random format for a static type T, and a check
// that runs Records[T] on it; bindValues index into T (a scalar's index is
// empty).
var msgRecordsCases = []func(r *rand.Rand) (fs string, check func(s *pack.Struct, buf []byte) string){
	func(r *rand.Rand) (string, func(*pack.Struct, []byte) string) {
		g := newMsgFormat(r)
		ints := g.intCodes()
		g.item(0, -1, ints[r.IntN(len(ints))], 1)
		g.item(1, -1, ints[r.IntN(len(ints))], 1)
		g.item(2, -1, "efd"[r.IntN(3)], 1)
		g.item(3, -1, "efd"[r.IntN(3)], 1)
		g.item(4, -1, '?', 1)
		g.item(5, -1, "cbB"[r.IntN(3)], 1)
		g.item(6, -1, "sp"[r.IntN(2)], r.IntN(7))
		g.item(7, -1, "sp"[r.IntN(2)], r.IntN(7))
		g.item(8, -1, 's', 3)
		code := ints[r.IntN(len(ints))]
		g.item(9, 0, code, 2)
		g.values = append(g.values, bindValue{[]int{9}, 1, code, g.kind(code), 2})
		g.item(10, -1, "FD"[r.IntN(2)], 1)
		return g.done(checkRecords[msgRecord])
	},
	func(r *rand.Rand) (string, func(*pack.Struct, []byte) string) {
		g := newMsgFormat(r)
		ints := g.intCodes()
		g.item(-1, -1, ints[r.IntN(len(ints))], 1)
		return g.done(checkRecords[int64])
	},
	func(r *rand.Rand) (string, func(*pack.Struct, []byte) string) {
		g := newMsgFormat(r)
		ints := g.intCodes()
		g.item(-1, -1, ints[r.IntN(len(ints))], 1)
		return g.done(checkRecords[uint8])
	},
	func(r *rand.Rand) (string, func(*pack.Struct, []byte) string) {
		g := newMsgFormat(r)
		g.item(-1, -1, "efd"[r.IntN(3)], 1)
		if r.IntN(2) == 0 {
			return g.done(checkRecords[float32])
		}
		return g.done(checkRecords[float64])
	},
	func(r *rand.Rand) (string, func(*pack.Struct, []byte) string) {
		g := newMsgFormat(r)
		g.item(-1, -1, '?', 1)
		return g.done(checkRecords[bool])
	},
	func(r *rand.Rand) (string, func(*pack.Struct, []byte) string) {
		g := newMsgFormat(r)
		g.item(-1, -1, "sp"[r.IntN(2)], r.IntN(7))
		if r.IntN(2) == 0 {
			return g.done(checkRecords[string])
		}
		return g.done(checkRecords[[]byte])
	},
	func(r *rand.Rand) (string, func(*pack.Struct, []byte) string) {
		g := newMsgFormat(r)
		g.item(-1, -1, 's', 5)
		return g.done(checkRecords[[5]byte])
	},
	func(r *rand.Rand) (string, func(*pack.Struct, []byte) string) {
		g := newMsgFormat(r)
		ints := g.intCodes()
		code := ints[r.IntN(len(ints))]
		g.item(-1, 0, code, 4)
		for j := 1; j < 4; j++ {
			g.values = append(g.values, bindValue{nil, j, code, g.kind(code), 4})
		}
		return g.done(checkRecords[[4]uint16])
	},
	func(r *rand.Rand) (string, func(*pack.Struct, []byte) string) {
		g := newMsgFormat(r)
		g.item(-1, -1, "FD"[r.IntN(2)], 1)
		return g.done(checkRecords[complex64])
	},
	func(r *rand.Rand) (string, func(*pack.Struct, []byte) string) {
		// Only pad bytes, or nothing: a struct{} record, of size 0 at times.
		g := newMsgFormat(r)
		return g.done(checkRecords[struct{}])
	},
}

// A msgFormat builds a random format, item by item, and the bindValues of
// its items.
type msgFormat struct {
	r      *rand.Rand
	mode   byte
	fs     strings.Builder
	values []bindValue
}

func newMsgFormat(r *rand.Rand) *msgFormat {
	g := &msgFormat{r: r, mode: "@=<>!"[r.IntN(5)]}
	g.fs.WriteByte(g.mode)
	g.pad()
	return g
}

func (g *msgFormat) intCodes() string {
	if g.mode == '@' {
		return "bBhHiIlLqQnNP"
	}
	return "bBhHiIlLqQ"
}

func (g *msgFormat) kind(code byte) format.Kind { return format.KindOf(format.Order(g.mode), code) }

func (g *msgFormat) pad() {
	if g.r.IntN(3) == 0 {
		fmt.Fprintf(&g.fs, "%dx", g.r.IntN(4))
	}
}

// item adds count code to the format, bound to field (-1 for a scalar T)
// at element elem (or -1), and pad bytes after it now and then.
func (g *msgFormat) item(field, elem int, code byte, count int) {
	fmt.Fprintf(&g.fs, "%d%c", count, code)
	var index []int
	if field >= 0 {
		index = []int{field}
	}
	g.values = append(g.values, bindValue{index, elem, code, g.kind(code), count})
	g.pad()
}

func (g *msgFormat) done(check func(*pack.Struct, []byte, []bindValue) string) (string, func(*pack.Struct, []byte) string) {
	vals := g.values
	return g.fs.String(), func(s *pack.Struct, buf []byte) string { return check(s, buf, vals) }
}

// checkRecords checks Records[T] over buf against IterUnpack: the values
// of each record set in a T as bindModel.expect says, the first that does
// not fit its field an ErrRange naming the record that ends the iteration,
// and IterUnpack's error, alone, for a buffer it refuses. vals index into
// T (an empty index is T itself).
func checkRecords[T any](s *pack.Struct, buf []byte, vals []bindValue) string {
	typ := reflect.TypeFor[T]()
	wrap := reflect.StructOf([]reflect.StructField{{Name: "V", Type: typ}})
	m := bindModel{fs: s.Format(), t: wrap}
	for _, bv := range vals {
		bv.index = append([]int{0}, bv.index...)
		m.values = append(m.values, bv)
	}
	call := fmt.Sprintf("Records[%v](%q, %x)", typ, s.Format(), buf)

	var got []T
	var errs []error
	for v, err := range pack.Records[T](s, buf) {
		got = append(got, v)
		errs = append(errs, err)
	}
	seq, ierr := s.IterUnpack(buf)
	if ierr != nil {
		var ie *pack.Error
		if !errors.As(ierr, &ie) || !errors.Is(ierr, pack.ErrBuffer) || (s.Size() != 0 && len(buf)%s.Size() == 0) {
			return fmt.Sprintf("IterUnpack(%q, %x): %v", s.Format(), buf, ierr)
		}
		if len(errs) != 1 {
			return fmt.Sprintf("%s yielded %d times, want once, IterUnpack's error %q", call, len(errs), ie.Msg)
		}
		if msg := msgCheckError(errs[0], "records", ie); msg != "" {
			return call + ": " + msg
		}
		if !reflect.ValueOf(&got[0]).Elem().IsZero() {
			return fmt.Sprintf("%s yielded %+v with its error, want the zero value", call, got[0])
		}
		return ""
	}
	k := 0
	for vs := range seq {
		want := reflect.New(wrap).Elem()
		if bad := m.expect(vs, want); bad >= 0 {
			var e *pack.Error
			switch {
			case len(errs) != k+1:
				return fmt.Sprintf("%s yielded %d times, want %d: record %d's item %d (%v) does not fit", call, len(errs), k+1, k, bad, vs[bad])
			case !errors.As(errs[k], &e) || e.Op != "records" || e.Item != bad || !errors.Is(e, pack.ErrRange) ||
				!strings.HasPrefix(e.Msg, fmt.Sprintf("record %d: ", k)):
				return fmt.Sprintf("%s: record %d: %v; want an ErrRange for item %d (%v) naming record %d", call, k, errs[k], bad, vs[bad], k)
			case !reflect.ValueOf(&got[k]).Elem().IsZero():
				return fmt.Sprintf("%s yielded %+v with its error, want the zero value", call, got[k])
			}
			return ""
		}
		if k >= len(errs) {
			return fmt.Sprintf("%s yielded %d records, IterUnpack more", call, len(errs))
		}
		if errs[k] != nil {
			return fmt.Sprintf("%s: record %d: %v", call, k, errs[k])
		}
		if diff := cmp.Diff(want.Field(0).Interface(), got[k], bindFloatsEqual, exportAll); diff != "" {
			return fmt.Sprintf("%s: record %d mismatch with IterUnpack (-want +got):\n%s", call, k, diff)
		}
		k++
	}
	if len(errs) != k {
		return fmt.Sprintf("%s yielded %d times, IterUnpack %d records", call, len(errs), k)
	}
	if k == 0 {
		return ""
	}
	// Stopping early is fine, and ranging again starts again.
	for v, err := range pack.Records[T](s, buf) {
		if err != nil || !cmp.Equal(v, got[0], bindFloatsEqual, exportAll) {
			return fmt.Sprintf("%s ranged again: %+v, %v; want %+v first", call, v, err, got[0])
		}
		break
	}
	return ""
}

func propRecordsAgreesWithIterUnpack(seed int64) func(int64) string {
	return func(n int64) string {
		r := rand.New(rand.NewPCG(uint64(seed), uint64(n)))
		fs, check := msgRecordsCases[r.IntN(len(msgRecordsCases))](r)
		s := pack.MustCompile(fs)
		size := s.Size()
		blen := r.IntN(6) * size
		if size > 1 && r.IntN(4) == 0 {
			blen += 1 + r.IntN(size-1) // not a whole number of records
		} else if size == 0 && r.IntN(2) == 0 {
			blen = r.IntN(4)
		}
		return check(s, msgRandBytes(r, blen))
	}
}
