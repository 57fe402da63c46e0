package scenarios

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
	"iamlab/scenarios/awscli"
)

// providers are the identity providers a scenario's sandbox runs. Making
// their keys is slow, so they are made once, on first use, and shared.
type providers struct {
	once sync.Once
	err  error
	spec []IdentityIdP
	home string
	oidc map[string]*sts.OIDCIssuer // by issuer host
	saml map[string]*sts.SAMLIdP    // by IAM provider name
	// minted caches signed tokens and assertions by template and clock
	// time: signing is the costly part of a run, and the sandbox re-runs a
	// scenario on every keystroke.
	mu     sync.Mutex
	minted map[string]string
	// samlVerified keeps the verdicts on those assertions across runs:
	// checking an XML signature costs about 10 ms.
	samlVerified sts.SAMLMemo
}

// mint returns the cached value of a template at time now, or makes it.
func (p *providers) mint(words []string, now time.Time, make func() (string, error)) (string, error) {
	key := strings.Join(words, " ") + "@" + now.UTC().Format(time.RFC3339Nano)
	p.mu.Lock()
	v, ok := p.minted[key]
	p.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := make()
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	if p.minted == nil {
		p.minted = map[string]string{}
	}
	if len(p.minted) > 256 {
		clear(p.minted)
	}
	p.minted[key] = v
	p.mu.Unlock()
	return v, nil
}

func newProviders(s *Scenario) (*providers, error) {
	p := &providers{spec: s.Identity, home: s.Account}
	for _, idp := range s.Identity {
		if (idp.OIDC == "") == (idp.SAML == "") {
			return nil, fmt.Errorf("identityProviders: each entry has oidc (an issuer URL) or saml (a provider name)")
		}
	}
	return p, nil
}

func (p *providers) start() error {
	p.once.Do(func() {
		p.oidc = map[string]*sts.OIDCIssuer{}
		p.saml = map[string]*sts.SAMLIdP{}
		for _, idp := range p.spec {
			if idp.OIDC != "" {
				iss, err := sts.NewOIDCIssuer(idp.OIDC)
				if err != nil {
					p.err = err
					return
				}
				p.oidc[issuerHost(idp.OIDC)] = iss
				continue
			}
			saml, err := sts.NewSAMLIdP("https://idp.example.com/" + idp.SAML)
			if err != nil {
				p.err = err
				return
			}
			p.saml[idp.SAML] = saml
		}
	})
	return p.err
}

func issuerHost(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return strings.TrimSuffix(u, "/")
}

// Sandbox is a scenario's estate brought to life: a private copy of the
// estate, a clock, STS over them, and the sessions steps have made.
type Sandbox struct {
	Scenario *Scenario
	Estate   *estate.Estate
	Clock    *estate.ManualClock
	STS      *sts.Service
	// Sessions are the temporary credentials named steps returned.
	Sessions map[string]estate.Caller
	// Outcomes are the outcomes of named steps.
	Outcomes map[string]*Outcome
	// SourceIP is the address calls come from.
	SourceIP string
}

func newSandbox(s *Scenario) *Sandbox {
	sb := &Sandbox{
		Scenario: s,
		Estate:   s.Estate.Clone(),
		Clock:    estate.NewManualClock(s.Clock),
		Sessions: map[string]estate.Caller{},
		Outcomes: map[string]*Outcome{},
		SourceIP: estate.DefaultSourceIP,
	}
	var issuers []*sts.OIDCIssuer
	if s.providers != nil && len(s.providers.spec) > 0 {
		if err := s.providers.start(); err == nil {
			for _, iss := range s.providers.oidc {
				issuers = append(issuers, iss)
			}
			// IAM knows each SAML provider by the metadata of the IdP the
			// sandbox runs.
			for _, idp := range s.providers.spec {
				if idp.SAML == "" {
					continue
				}
				acct := idp.Account
				if acct == "" {
					acct = s.Account
				}
				if a := sb.Estate.Accounts[acct]; a != nil {
					if a.SAMLProviders == nil {
						a.SAMLProviders = map[string]*estate.SAMLProvider{}
					}
					a.SAMLProviders[idp.SAML] = &estate.SAMLProvider{Metadata: s.providers.saml[idp.SAML].Metadata()}
				}
			}
		}
	}
	sb.STS = sts.New(sb.Estate, sb.Clock, issuers...)
	if s.providers != nil {
		sb.STS.SAMLVerified = &s.providers.samlVerified
	}
	return sb
}

// NewSandbox starts a fresh sandbox of the scenario, as shipped.
func (s *Scenario) NewSandbox() *Sandbox { return newSandbox(s) }

// Outcome is what one command did: the AWS CLI's result, and which step
// and caller ran it.
type Outcome struct {
	Step    string
	Caller  string // who ran it, as the step named them
	Command string // the command as written
	awscli.Result
}

// Command is an AWS CLI command line, parsed (see awscli.Parse).
type Command = awscli.Command

// Verdict is the outcome in the words a step's expect uses: Allow,
// ExplicitDeny or ImplicitDeny when an authorization decided, or the error
// code.
func (o *Outcome) Verdict() string {
	if o.Code == "" {
		return OutcomeAllow
	}
	if o.Denied != nil && (o.Code == estate.CodeAccessDenied || o.Code == "UnauthorizedOperation") {
		return o.Denied.Result.Decision.String()
	}
	return o.Code
}

// Matches reports whether the outcome is the expected one.
func (o *Outcome) Matches(expect string) bool {
	v := o.Verdict()
	if expect == OutcomeSuccess {
		expect = OutcomeAllow
	}
	return v == expect || (expect == "AccessDenied" && o.Code == estate.CodeAccessDenied)
}

// Run executes one command line as the given caller.
func (sb *Sandbox) Run(as, line string) *Outcome {
	o := &Outcome{Caller: as, Command: line}
	caller, err := sb.caller(as)
	if err != nil {
		o.Fail(err, "")
		return o
	}
	expanded, err := sb.expand(line)
	if err != nil {
		o.Fail(err, "")
		return o
	}
	cmd, err := awscli.Parse(expanded)
	if err != nil {
		o.Code, o.Message = "ParamValidation", err.Error()
		return o
	}
	o.Result = sb.Exec(caller, cmd).Result
	return o
}

// Exec runs a parsed command as caller, already authenticated, on the
// sandbox's estate: the console's lines and the requests iamlab serve
// decodes run through here alike.
func (sb *Sandbox) Exec(caller estate.Caller, c *Command) *Outcome {
	return &Outcome{Command: c.Line, Result: *awscli.Run(sb.env(), caller, c)}
}

// env is the sandbox as the AWS CLI's commands see it.
func (sb *Sandbox) env() *awscli.Env {
	return &awscli.Env{Estate: sb.Estate, STS: sb.STS, Account: sb.Scenario.Account, Now: sb.Clock.Now, SourceIP: sb.SourceIP}
}

// Advance moves the sandbox clock on.
func (sb *Sandbox) Advance(d time.Duration) { sb.Clock.Advance(d) }

// Unsigned reports whether calls made as as carry no credentials: as
// anonymous, or as an EC2 instance whose instance profile has no role
// (the instance metadata service then has no credentials to hand out, and
// the call goes unsigned). err says why as names no caller.
func (sb *Sandbox) Unsigned(as string) (bool, error) {
	c, err := sb.caller(as)
	if err != nil {
		return false, err
	}
	id, err := sb.Estate.Resolve(c, sb.Clock.Now())
	if err != nil {
		if errors.Is(err, estate.ErrExpiredToken) {
			// Expired credentials are still someone's: the call is signed.
			return false, nil
		}
		return false, err
	}
	return id.Kind == estate.KindAnonymous, nil
}

// caller resolves a step's "as" into credentials.
func (sb *Sandbox) caller(as string) (estate.Caller, error) {
	as = strings.TrimSpace(as)
	home := sb.Scenario.Account
	switch {
	case as == "" || as == "anonymous":
		return estate.Caller{}, nil
	case as == "root":
		return estate.Caller{ARN: estate.RootARN(home)}, nil
	case strings.HasPrefix(as, "instance "):
		return estate.Caller{Instance: strings.TrimSpace(strings.TrimPrefix(as, "instance "))}, nil
	case strings.HasPrefix(as, "service "):
		return serviceCaller(as)
	case strings.HasPrefix(as, "identity-center "):
		return identityCenterCaller(as, home)
	case strings.HasPrefix(as, "session "):
		name := strings.TrimSpace(strings.TrimPrefix(as, "session "))
		c, ok := sb.Sessions[name]
		if !ok {
			return estate.Caller{}, estate.ValidationError("no step named " + strconv.Quote(name) + " has returned credentials yet")
		}
		return c, nil
	case strings.HasPrefix(as, "arn:"):
		return estate.Caller{ARN: as}, nil
	}
	acct, name, ok := strings.Cut(as, "/")
	if !ok {
		acct, name = home, as
	}
	if name == "root" {
		return estate.Caller{ARN: estate.RootARN(acct)}, nil
	}
	u := sb.Estate.User(acct, name)
	if u == nil {
		return estate.Caller{}, estate.ValidationError("there is no user " + name + " in account " + acct)
	}
	return estate.Caller{ARN: estate.UserARN(acct, u.Path, name)}, nil
}

// checkCaller checks a step's "as" at load time, against the estate and
// the names of the steps before it.
func checkCaller(s *Scenario, as string, earlier map[string]bool) error {
	as = strings.TrimSpace(as)
	switch {
	case as == "" || as == "anonymous" || as == "root" || strings.HasPrefix(as, "arn:"):
		return nil
	case strings.HasPrefix(as, "instance "):
		id := strings.TrimSpace(strings.TrimPrefix(as, "instance "))
		for _, a := range s.Estate.Accounts {
			if _, ok := a.Instances[id]; ok {
				return nil
			}
		}
		return fmt.Errorf("there is no instance %s in the estate", id)
	case strings.HasPrefix(as, "service "):
		_, err := serviceCaller(as)
		return err
	case strings.HasPrefix(as, "identity-center "):
		c, err := identityCenterCaller(as, s.Account)
		if err != nil {
			return err
		}
		if _, err := s.Estate.Resolve(c, time.Time{}); err != nil {
			return err
		}
		return nil
	case strings.HasPrefix(as, "session "):
		name := strings.TrimSpace(strings.TrimPrefix(as, "session "))
		if !earlier[name] {
			return fmt.Errorf("no earlier step is named %q", name)
		}
		return nil
	}
	acct, name, ok := strings.Cut(as, "/")
	if !ok {
		acct, name = s.Account, as
	}
	if name == "root" {
		return nil
	}
	if s.Estate.User(acct, name) == nil {
		return fmt.Errorf("there is no user %s in account %s; use a user name, root, instance ID, session NAME, anonymous or an ARN", name, acct)
	}
	return nil
}

// expand fills in {{...}} templates.
func (sb *Sandbox) expand(line string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(line, "{{")
		if i < 0 {
			b.WriteString(line)
			return b.String(), nil
		}
		j := strings.Index(line[i:], "}}")
		if j < 0 {
			return "", estate.ValidationError("unclosed {{ in " + line)
		}
		b.WriteString(line[:i])
		v, err := sb.template(strings.Fields(line[i+2 : i+j]))
		if err != nil {
			return "", err
		}
		b.WriteString(v)
		line = line[i+j+2:]
	}
}

func (sb *Sandbox) template(words []string) (string, error) {
	if len(words) < 2 {
		return "", estate.ValidationError("a template is {{totp DEVICE}}, {{oidc ISSUER ...}}, {{saml PROVIDER ...}} or {{step NAME}}")
	}
	kv := map[string]string{}
	for _, w := range words[2:] {
		k, v, _ := strings.Cut(w, "=")
		kv[k] = v
	}
	now := sb.Clock.Now()
	switch words[0] {
	case "totp":
		return sb.TOTP(words[1])
	case "step":
		o, ok := sb.Outcomes[words[1]]
		if !ok || o.Encoded == "" {
			return "", estate.ValidationError("step " + words[1] + " has no encoded authorization message")
		}
		return o.Encoded, nil
	case "oidc":
		p := sb.Scenario.providers
		if p == nil || p.start() != nil || p.oidc[issuerHost(words[1])] == nil {
			return "", estate.ValidationError("the sandbox runs no OIDC issuer " + words[1])
		}
		c := sts.IDClaims{Subject: kv["sub"], Audience: kv["aud"], ID: kv["jti"]}
		if v := kv["amr"]; v != "" {
			c.AMR = strings.Split(v, ",")
		}
		if v := kv["lifetime"]; v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				return "", estate.ValidationError("lifetime: " + err.Error())
			}
			c.Lifetime = d
		}
		return p.mint(words, now, func() (string, error) { return p.oidc[issuerHost(words[1])].Token(c, now) })
	case "saml":
		p := sb.Scenario.providers
		if p == nil || p.start() != nil || p.saml[words[1]] == nil {
			return "", estate.ValidationError("the sandbox runs no SAML identity provider " + words[1])
		}
		acct := sb.Scenario.Account
		provider := estate.SAMLProviderARN(acct, words[1])
		var roles []string
		for _, r := range strings.Split(kv["role"], ",") {
			if r != "" {
				roles = append(roles, estate.RoleARN(acct, "/", r)+","+provider)
			}
		}
		return p.mint(words, now, func() (string, error) {
			return p.saml[words[1]].Response(sts.SAMLLogin{NameID: kv["user"], Roles: roles, RoleSessionName: kv["user"]}, now)
		})
	}
	return "", estate.ValidationError("unknown template {{" + words[0] + " ...}}")
}

// TOTP returns the current code of a virtual MFA device, named by its
// name or serial ARN.
func (sb *Sandbox) TOTP(device string) (string, error) {
	serial := device
	if !strings.HasPrefix(device, "arn:") {
		serial = estate.MFADeviceARN(sb.Scenario.Account, device)
	}
	_, _, d := sb.Estate.MFADevice(serial)
	if d == nil {
		return "", estate.ValidationError("there is no MFA device " + device)
	}
	return d.Code(sb.Clock.Now())
}

// MFADevices lists the estate's virtual MFA devices by serial ARN.
func (sb *Sandbox) MFADevices() []string {
	var out []string
	for acct, a := range sb.Estate.Accounts {
		for name := range a.MFADevices {
			out = append(out, estate.MFADeviceARN(acct, name))
		}
	}
	sort.Strings(out)
	return out
}

// serviceCaller reads "service NAME.amazonaws.com [source-arn=ARN]
// [source-account=ACCOUNT]": a service principal calling on behalf of a
// resource, as CloudTrail does when it writes a trail's log files.
func serviceCaller(as string) (estate.Caller, error) {
	words := strings.Fields(strings.TrimPrefix(as, "service "))
	if len(words) == 0 {
		return estate.Caller{}, fmt.Errorf("service needs a service principal, such as service cloudtrail.amazonaws.com source-arn=ARN source-account=ACCOUNT")
	}
	c := estate.Caller{Service: words[0]}
	for _, w := range words[1:] {
		k, v, _ := strings.Cut(w, "=")
		switch k {
		case "source-arn":
			c.SourceARN = v
		case "source-account":
			c.SourceAccount = v
		default:
			return estate.Caller{}, fmt.Errorf("service %s: unknown %q; give source-arn=ARN and source-account=ACCOUNT", words[0], w)
		}
	}
	return c, nil
}

// identityCenterCaller reads "identity-center USER PERMISSION-SET
// [ACCOUNT]": USER signed in through IAM Identity Center with that
// permission set in ACCOUNT (the home account when left out).
func identityCenterCaller(as, home string) (estate.Caller, error) {
	words := strings.Fields(strings.TrimPrefix(as, "identity-center "))
	if len(words) < 2 || len(words) > 3 {
		return estate.Caller{}, fmt.Errorf("identity-center needs a user and a permission set, and may name an account: identity-center ana DataEngineer 111122223333")
	}
	c := estate.Caller{IdentityCenterUser: words[0], PermissionSet: words[1], TargetAccount: home}
	if len(words) == 3 {
		c.TargetAccount = words[2]
	}
	return c, nil
}
