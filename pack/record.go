package pack

import (
	"iter"
	"strconv"
	"unsafe"
)

// Decode unpacks the record at the front of buf into the value v points
// to, and returns the number of bytes it read: [Struct.Size]. It is
// [Struct.Unmarshal] for a record that may be followed by more bytes, as
// Go's binary.Decode is for encoding/binary, and Python's
// Struct.unpack_from(buf) at offset 0.
//
// v is a pointer to a struct, bound to the format as
// [Struct.MarshalAppend] describes, or a pointer to a scalar (a bool,
// integer, float or string, a []byte, or an array of those), which binds
// as a struct with one field of that type would: "!I" decodes into a
// *uint32, "<d" into a *float64 and "5s" into a *string, *[]byte or
// *[5]byte. A pointer to a slice is not accepted: [Records] reads many
// records.
//
// A buf shorter than Size is an error matching [ErrBuffer], with the
// message CPython gives for unpack_from; bytes after the record are
// ignored. On any error Decode returns 0, and the error is an *[Error]
// with Op "decode": a v of another type, a type that does not fit the
// format, or a value that does not fit its field (in which case the
// fields before it are set, as with Unmarshal). Decode never keeps or
// aliases buf, and allocates only for the string and []byte fields it
// sets. It is safe for concurrent use (of the Struct).
func (s *Struct) Decode(buf []byte, v any) (int, error) {
	s = s.orEmpty()
	if err := s.checkOne(v, "decode", false); err != nil {
		return 0, err
	}
	size := s.Size()
	if len(buf) < size {
		return 0, s.bufferError("decode", "unpack_from requires a buffer of at least "+itoa(size)+
			" bytes for unpacking "+itoa(size)+" bytes at offset 0 (actual buffer size is "+itoa(len(buf))+")")
	}
	if err := s.Unmarshal(buf[:size], v); err != nil {
		return 0, withOp(err, "decode")
	}
	return size, nil
}

// Encode packs v into a record at the front of buf and returns the number
// of bytes it wrote: [Struct.Size]. It is [Struct.MarshalAppend] into a
// buffer the caller provides, as Go's binary.Encode is for
// encoding/binary, and Python's Struct.pack_into(buf, 0, ...).
//
// v is a struct or a pointer to one, or a scalar or a pointer to one (see
// [Struct.Decode]); a slice is not accepted. A buf shorter than Size is an
// error matching [ErrBuffer], with the message CPython gives for
// pack_into, and nothing is written. The record's bytes are written whole,
// pad bytes as zeros; bytes of buf after the record are never touched. On
// any error Encode returns 0, and the error is an *[Error] with Op
// "encode"; if a value fails to pack, the record's bytes may have been
// partly written. Encode allocates nothing once v's type is bound. It is
// safe for concurrent use (of the Struct).
func (s *Struct) Encode(buf []byte, v any) (int, error) {
	s = s.orEmpty()
	if err := s.checkOne(v, "encode", true); err != nil {
		return 0, err
	}
	size := s.Size()
	if len(buf) < size {
		return 0, s.bufferError("encode", "pack_into requires a buffer of at least "+itoa(size)+
			" bytes for packing "+itoa(size)+" bytes at offset 0 (actual buffer size is "+itoa(len(buf))+")")
	}
	if _, err := s.MarshalAppend(buf[:0:size], v); err != nil {
		return 0, withOp(err, "encode")
	}
	return size, nil
}

// Records returns an iterator over the records of buf, each decoded as by
// [Struct.Decode] into a new value of type T: a struct, or a scalar for a
// format of one value. It mirrors Python's Struct.iter_unpack(buf) and
// checks buf as it does, before yielding anything: a format of size zero,
// or a buf that is not a whole number of records, yields only one error,
// with T's zero value, matching [ErrBuffer] with CPython's iter_unpack
// message. A T that does not fit the format is likewise one error,
// yielded before any record. A record whose value does not fit its field
// yields that error, its message naming the record, and ends the
// iteration.
//
// Each T starts from its zero value. string and []byte fields are copies
// that never alias buf; a T without them costs no allocation per record.
// The errors are *[Error] values with Op "records". Ranging again starts
// again from the first record.
func Records[T any](s *Struct, buf []byte) iter.Seq2[T, error] {
	s = s.orEmpty()
	return func(yield func(T, error) bool) {
		var zero T
		size := s.Size()
		if size == 0 {
			yield(zero, s.bufferError("records", "cannot iteratively unpack with a struct of length 0"))
			return
		}
		if len(buf)%size != 0 {
			yield(zero, s.bufferError("records", "iterative unpacking requires a buffer of a multiple of "+itoa(size)+" bytes"))
			return
		}
		var v T
		if err := s.checkOne(&v, "records", false); err != nil {
			yield(zero, err)
			return
		}
		for k := 0; k < len(buf)/size; k++ {
			v = zero
			if err := s.Unmarshal(buf[k*size:(k+1)*size], &v); err != nil {
				err = withOp(err, "records")
				err.(*Error).Msg = "record " + strconv.Itoa(k) + ": " + err.(*Error).Msg
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// checkOne checks that v is something Decode (or Encode, if values, that
// is structs and scalars, are accepted too) can bind as one record: a
// non-nil pointer to a struct or a scalar whose type fits the format.
func (s *Struct) checkOne(v any, op string, values bool) error {
	e := (*eface)(unsafe.Pointer(&v))
	be := s.typed.lookup(e.typ)
	if be == nil || e.typ == nil {
		be = s.entry(v)
	}
	verb := "cannot decode into "
	if values {
		verb = "cannot encode "
	}
	switch be.mode {
	case argPtr, argScalarPtr:
		if e.data == nil {
			return s.argError(op, verb+"nil "+typeName(be.rt))
		}
	case argStruct, argScalar:
		if !values {
			return s.argError(op, verb+typeName(be.rt)+": want a pointer to a struct or to a scalar")
		}
	default:
		if values {
			return s.argError(op, verb+typeName(be.rt)+": want a struct or a scalar, or a pointer to one")
		}
		return s.argError(op, verb+typeName(be.rt)+": want a pointer to a struct or to a scalar")
	}
	if be.b.err != nil {
		return s.bindErr(op, be.b)
	}
	return nil
}

// withOp returns err, an *Error, with its Op set to op.
func withOp(err error, op string) error {
	if e, ok := err.(*Error); ok {
		e.Op = op
	}
	return err
}
