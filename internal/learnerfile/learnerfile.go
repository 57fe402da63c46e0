// Package learnerfile reads the files of a learner's own folder for the
// content and scenarios packages. A learner's folder is outside iamlab's
// control: a named pipe would block a read forever, a link to /dev/zero
// would read until memory runs out, and one unreadable file must not hide
// the others. So only regular files are read, each up to MaxSize, and every
// file that cannot be read comes back as an error naming its full path,
// beside the files that could.
package learnerfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"go.yaml.in/yaml/v3"
)

// MaxSize is the largest learner file read, in bytes. The largest built-in
// file is under 100 KB; 4 MB leaves a learner plenty and keeps parsing well
// under a second.
const MaxSize = 4 << 20

// File is one file read from the folder.
type File struct {
	// Path is the file's full path, for messages.
	Path string
	// Rel is its path relative to the folder, with forward slashes.
	Rel string
	Src []byte
}

// Skipped is a file Read could not read, with the reason in words.
type Skipped struct {
	Path   string // full path
	Reason string
}

// Read reads every file under dir whose name ends in one of exts, in
// lexical order. Files it could not read are left out and listed in
// skipped. err is set only when dir itself cannot be read.
func Read(dir string, exts ...string) (files []File, skipped []Skipped, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", abs, describe(err))
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%s: not a folder", abs)
	}
	walkErr := filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			skipped = append(skipped, Skipped{path, describe(err).Error()})
			return nil // a folder that cannot be listed is skipped
		}
		if d.IsDir() || !slices.Contains(exts, strings.ToLower(filepath.Ext(path))) {
			return nil
		}
		src, reason := readFile(path)
		if reason != "" {
			skipped = append(skipped, Skipped{path, reason})
			return nil
		}
		rel, _ := filepath.Rel(abs, path)
		files = append(files, File{Path: path, Rel: filepath.ToSlash(rel), Src: src})
		return nil
	})
	if walkErr != nil {
		return files, skipped, walkErr
	}
	return files, skipped, nil
}

// ReadFile reads one learner file: a regular file (or a link to one) of at
// most MaxSize bytes. Its error names the path and says what is wrong in
// words.
func ReadFile(path string) ([]byte, error) {
	src, reason := readFile(path)
	if reason != "" {
		return nil, fmt.Errorf("%s: %s", path, reason)
	}
	return src, nil
}

func readFile(path string) ([]byte, string) {
	info, err := os.Stat(path) // follows links: a dangling or looping one fails here
	if err != nil {
		if li, lerr := os.Lstat(path); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
			return nil, "a link that leads nowhere readable: " + describe(err).Error()
		}
		return nil, describe(err).Error()
	}
	if reason := check(info); reason != "" {
		return nil, reason
	}
	// O_NONBLOCK: should the file turn into a pipe between Stat and Open,
	// opening it does not wait for a writer; the check below catches it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, describe(err).Error()
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, describe(err).Error()
	}
	if reason := check(info); reason != "" {
		return nil, reason
	}
	src, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, describe(err).Error()
	}
	if len(src) > MaxSize {
		return nil, tooLarge
	}
	return src, ""
}

func check(info fs.FileInfo) string {
	if !info.Mode().IsRegular() {
		return "not a regular file (" + kind(info.Mode()) + "); only regular files are read"
	}
	if info.Size() > MaxSize {
		return tooLarge
	}
	return ""
}

var tooLarge = fmt.Sprintf("larger than %d MB, the most iamlab reads from one file", MaxSize>>20)

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}

// describe turns the usual system errors into words.
func describe(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("does not exist")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission denied")
	case errors.Is(err, syscall.ELOOP):
		return errors.New("the links loop")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// bom is the UTF-8 byte-order mark some editors put at the start of a file.
const bom = "\xef\xbb\xbf"

// TrimBOM drops a byte-order mark from the start of src.
func TrimBOM(src []byte) []byte {
	return bytes.TrimPrefix(src, []byte(bom))
}

// DecodeYAML decodes src, which holds one YAML document, into a node,
// skipping a byte-order mark. A second document is an error rather than
// being silently ignored. Errors read "yaml: line N: what", as the YAML
// decoder's own do.
func DecodeYAML(src []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(TrimBOM(src)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &yaml.Node{}, nil
		}
		return nil, err
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
		return &doc, nil
	case err != nil:
		return nil, err
	}
	return nil, fmt.Errorf("yaml: line %d: a second YAML document starts here; a file holds one", max(next.Line, 1))
}
