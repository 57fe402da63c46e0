package store

import (
	"encoding/binary"
	"io"
	"os"
)

// walLoss reads the write-ahead log beside a store, as SQLite's recovery
// does, and says whether commits of the log's current generation come
// after a frame that fails its checksum. SQLite stops at the first bad
// frame and silently drops everything after it, so iamlab looks first: a
// learner is told when answers are lost, and the files are kept as they
// were. A log from an earlier generation (other salts) is ordinary reuse
// of the file, not damage. https://www.sqlite.org/fileformat2.html#walformat
func walLoss(path string) (lost bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return false, nil
		}
		return false, err
	}
	defer f.Close()
	hdr := make([]byte, 32)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return false, nil // shorter than a header: SQLite ignores it, and so nothing was committed there
	}
	var order binary.ByteOrder
	switch binary.BigEndian.Uint32(hdr) {
	case 0x377f0682:
		order = binary.LittleEndian
	case 0x377f0683:
		order = binary.BigEndian
	default:
		return false, nil // not a log SQLite would read
	}
	pageSize := int(binary.BigEndian.Uint32(hdr[8:]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize > 65536 || pageSize&(pageSize-1) != 0 {
		return false, nil
	}
	salt := hdr[16:24]
	s0, s1 := walChecksum(order, hdr[:24], 0, 0)
	if s0 != binary.BigEndian.Uint32(hdr[24:]) || s1 != binary.BigEndian.Uint32(hdr[28:]) {
		return false, nil // SQLite ignores a log whose header is bad
	}
	frame := make([]byte, 24+pageSize)
	valid := true
	for {
		if _, err := io.ReadFull(f, frame); err != nil {
			return false, nil // the end of the log, or a torn last frame that was never committed
		}
		sameGeneration := string(frame[8:16]) == string(salt)
		if !valid {
			// Past a bad frame: a commit frame of this generation is a
			// commit that SQLite will drop.
			if sameGeneration && binary.BigEndian.Uint32(frame[4:]) != 0 {
				return true, nil
			}
			continue
		}
		if !sameGeneration {
			return false, nil // an earlier generation: the log really ends here
		}
		s0, s1 = walChecksum(order, frame[:8], s0, s1)
		s0, s1 = walChecksum(order, frame[24:], s0, s1)
		if s0 != binary.BigEndian.Uint32(frame[16:]) || s1 != binary.BigEndian.Uint32(frame[20:]) {
			valid = false
		}
	}
}

// walChecksum continues SQLite's WAL checksum over b, whose length is a
// multiple of 8, in the byte order the log's magic number names.
func walChecksum(order binary.ByteOrder, b []byte, s0, s1 uint32) (uint32, uint32) {
	for i := 0; i+8 <= len(b); i += 8 {
		s0 += order.Uint32(b[i:]) + s1
		s1 += order.Uint32(b[i+4:]) + s0
	}
	return s0, s1
}
