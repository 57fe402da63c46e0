package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"iamlab/internal/learnerfile"
	"iamlab/scenarios"
	"iamlab/scenarios/awscli"
	"iamlab/scenarios/serve"
)

// estateFlags are the flags serve and totp share to name an estate.
type estateFlags struct {
	scenario, estateFile, contentDir string
}

func (f *estateFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.scenario, "scenario", "", "serve a scenario's estate, by id (iamlab scenarios list)")
	fs.StringVar(&f.estateFile, "estate", "", "serve an estate file (the estate: of a scenario file, on its own)")
	fs.StringVar(&f.contentDir, "content", "", "a folder of your own scenarios (default $XDG_CONFIG_HOME/iamlab)")
}

// load finds the scenario the flags name.
func (f *estateFlags) load() (*scenarios.Scenario, error) {
	if (f.scenario == "") == (f.estateFile == "") {
		return nil, errors.New("give --scenario ID or --estate FILE")
	}
	if f.estateFile != "" {
		// A learner's file: a FIFO or /dev/zero must not hang the server.
		src, err := learnerfile.ReadFile(f.estateFile)
		if err != nil {
			return nil, err
		}
		return scenarios.ParseEstate(f.estateFile, src)
	}
	// The same scenarios as the app and scenarios list: the learner's own
	// load beside the built-in ones, which win a clash of ids.
	own, notices := learnerScenarios(f.contentDir)
	for _, n := range notices {
		fmt.Fprintln(os.Stderr, n)
	}
	all, err := withBuiltinScenarios(own)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, s := range all {
		if s.ID == f.scenario {
			return s, nil
		}
		ids = append(ids, s.ID)
	}
	best, _ := awscli.Nearest(f.scenario, ids)
	return nil, fmt.Errorf("no scenario %q; did you mean %s? (iamlab scenarios list)", f.scenario, best)
}

const serveUsage = `Usage: iamlab serve [--addr 127.0.0.1:4566] (--scenario ID | --estate FILE) [flags]

Serves the estate as a local AWS endpoint for the AWS CLI and SDKs (STS,
IAM, S3, EC2, KMS, DynamoDB). It prints export lines to paste or eval, and
logs one line per request on standard error.

`

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ef estateFlags
	ef.register(fs)
	addr := fs.String("addr", "127.0.0.1:4566", "address to listen on (loopback unless you say otherwise)")
	envFile := fs.String("env-file", "", "also write the export lines to FILE once listening")
	logFormat := fs.String("log-format", "text", "request log format: text or json")
	explain := fs.Bool("explain", false, "print the reason beside each denial")
	save := fs.String("save", "", "on exit, write the estate, as changed through the API, to FILE as a scenario")
	soft := fs.Bool("soft", false, "log every request policies would deny, with its explanation, and allow it")
	suggest := fs.String("suggest-policy", "", "on exit, write to FILE a least-privilege identity policy per principal for the calls it made")
	fs.Usage = func() {
		fmt.Fprint(stderr, serveUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitBadUsage
	}
	if *logFormat != "text" && *logFormat != "json" {
		fmt.Fprintf(stderr, "iamlab serve: --log-format is text or json, not %q\n", *logFormat)
		return exitBadUsage
	}
	sc, err := ef.load()
	if err != nil {
		fmt.Fprintf(stderr, "iamlab serve: %v\n", err)
		return exitBadUsage
	}
	if host, _, err := net.SplitHostPort(*addr); err == nil {
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			fmt.Fprintf(stderr, "iamlab serve: warning: %s is not a loopback address; anyone who can reach it can use the estate's keys\n", *addr)
		}
	}
	var logMu sync.Mutex
	srv, err := serve.New(sc, serve.Options{Soft: *soft, Suggest: *suggest != "", OnEvent: func(ev serve.Event) {
		logMu.Lock()
		defer logMu.Unlock()
		if *logFormat == "json" {
			fmt.Fprintf(stderr, "%s\n", serve.LogJSON(ev))
		} else {
			fmt.Fprintln(stderr, serve.LogLine(ev, *explain))
		}
	}})
	if err != nil {
		fmt.Fprintf(stderr, "iamlab serve: %v\n", err)
		return exitFailure
	}
	endpoint, err := srv.Start(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "iamlab serve: %v (--addr 127.0.0.1:0 picks a free port)\n", err)
		return exitFailure
	}
	env, err := serve.WriteEnv(endpoint, srv.Profiles())
	if err != nil {
		fmt.Fprintf(stderr, "iamlab serve: %v\n", err)
		return exitFailure
	}
	defer env.Remove()
	fmt.Fprint(stdout, env.Exports())
	fmt.Fprint(stdout, env.ProfileLine())
	for _, serial := range sc.NewSandbox().MFADevices() {
		fmt.Fprintf(stdout, "# MFA: aws sts get-session-token --serial-number %s --token-code $(iamlab totp %s %s) --profile USER\n", serial, serial, estateArgs(ef))
	}
	fmt.Fprintf(stdout, "# serving %s on %s; Ctrl-C stops\n", sc.ID, endpoint)
	if *envFile != "" {
		if err := writeFileAtomic(*envFile, []byte(env.Exports())); err != nil {
			fmt.Fprintf(stderr, "iamlab serve: --env-file: %v\n", err)
			return exitFailure
		}
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	signal.Stop(stop)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	code := exitOK
	if *save != "" {
		if err := writeWith(*save, srv.SaveScenario); err != nil {
			fmt.Fprintf(stderr, "iamlab serve: --save: %v\n", err)
			code = exitFailure
		}
	}
	if *suggest != "" {
		if err := writeWith(*suggest, srv.SuggestPolicies); err != nil {
			fmt.Fprintf(stderr, "iamlab serve: --suggest-policy: %v\n", err)
			code = exitFailure
		}
	}
	fmt.Fprintf(stderr, "iamlab serve: stopped after %d requests\n", srv.Requests())
	return code
}

func estateArgs(f estateFlags) string {
	if f.estateFile != "" {
		return "--estate " + f.estateFile
	}
	return "--scenario " + f.scenario
}

// writeWith writes a file atomically from a writer function.
func writeWith(path string, write func(io.Writer) error) error {
	var b strings.Builder
	if err := write(&b); err != nil {
		return err
	}
	return writeFileAtomic(path, []byte(b.String()))
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".iamlab-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// runTOTP implements `iamlab totp DEVICE`: the current code of one of
// the estate's virtual MFA devices, on the wall clock as iamlab serve
// checks it.
func runTOTP(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("totp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ef estateFlags
	ef.register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: iamlab totp DEVICE (--scenario ID | --estate FILE)\n\nPrints the current code of a virtual MFA device (its name or serial ARN),\nfor aws sts get-session-token --serial-number ARN --token-code CODE against iamlab serve.\n\n")
		fs.PrintDefaults()
	}
	// The device may come before or after the flags.
	var device string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		device, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitBadUsage
	}
	if device == "" && fs.NArg() == 1 {
		device = fs.Arg(0)
	}
	if device == "" {
		fs.Usage()
		return exitBadUsage
	}
	sc, err := ef.load()
	if err != nil {
		fmt.Fprintf(stderr, "iamlab totp: %v\n", err)
		return exitBadUsage
	}
	sb := sc.NewSandbox()
	sb.Clock.Set(time.Now())
	code, err := sb.TOTP(device)
	if err != nil {
		fmt.Fprintf(stderr, "iamlab totp: %v; the estate has %s\n", err, strings.Join(sb.MFADevices(), ", "))
		return exitBadUsage
	}
	fmt.Fprintln(stdout, code)
	return exitOK
}
