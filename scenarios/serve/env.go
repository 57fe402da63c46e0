package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"iamlab/engine/estate"
)

// Env is what a shell needs to reach a server: a private folder with a
// credentials file and a config file, and the export lines naming them.
type Env struct {
	Endpoint    string
	Dir         string
	Credentials string
	Config      string
	Profiles    []Profile
}

// WriteEnv writes the AWS CLI's files for the profiles into a new private
// temporary folder (mode 0700, files 0600). Every profile, and the
// default one, points at endpoint, so nothing configured here reaches
// real AWS.
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
func WriteEnv(endpoint string, profiles []Profile) (*Env, error) {
	dir, err := os.MkdirTemp("", "iamlab-serve-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	e := &Env{Endpoint: endpoint, Dir: dir, Credentials: filepath.Join(dir, "credentials"), Config: filepath.Join(dir, "config"), Profiles: profiles}
	var creds, conf strings.Builder
	section := func(name string) {
		fmt.Fprintf(&conf, "[%s]\nregion = %s\noutput = json\nendpoint_url = %s\n\n", name, estate.DefaultRegion, endpoint)
	}
	section("default")
	for _, p := range profiles {
		fmt.Fprintf(&creds, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n", p.Name, p.AccessKeyID, p.SecretAccessKey)
		section("profile " + p.Name)
	}
	for path, text := range map[string]string{e.Credentials: creds.String(), e.Config: conf.String()} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
	return e, nil
}

// Exports are the shell lines that point the AWS CLI and SDKs at the
// server, one per line.
func (e *Env) Exports() string {
	return "export AWS_ENDPOINT_URL=" + e.Endpoint + "\n" +
		"export AWS_SHARED_CREDENTIALS_FILE=" + shellQuote(e.Credentials) + "\n" +
		"export AWS_CONFIG_FILE=" + shellQuote(e.Config) + "\n" +
		"export AWS_REGION=" + estate.DefaultRegion + "\n"
}

// ProfileLine names the profiles, as a shell comment.
func (e *Env) ProfileLine() string {
	names := make([]string, len(e.Profiles))
	for i, p := range e.Profiles {
		names[i] = p.Name
	}
	if len(names) == 0 {
		return "# no IAM user has an access key: only unsigned requests (--no-sign-request) work\n"
	}
	return "# profiles: " + strings.Join(names, " ") + " (use --profile NAME)\n"
}

// Remove deletes the folder and its files.
func (e *Env) Remove() error { return os.RemoveAll(e.Dir) }

func shellQuote(s string) string {
	if strings.ContainsAny(s, " '\"$`\\") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}
