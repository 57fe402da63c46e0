// Package scenarios holds iamlab's runnable scenarios: situations from the
// study notes, each an estate of accounts and policies and a list of calls
// with the outcome AWS gives them, and optionally a challenge to edit named
// policies until the calls give other outcomes. Load reads and checks
// them (the format is in FORMAT.md); Run executes a scenario's steps on
// the engine; Check verifies that each scenario shows what it claims.
//
// A Workspace is one scenario being worked on (drafts, re-runs, versions,
// goals, what is kept between visits): the sandbox screen draws one, and
// Check asks one whether the reference solution solves the challenge. A
// Sandbox is a scenario's estate brought to life, where the steps and the
// console's commands run; the AWS CLI commands themselves are in awscli.
package scenarios

import (
	"sync"
	"time"

	"iamlab/engine/estate"
)

// Scenario is one file of scenarios/data, or of a learner's own folder.
type Scenario struct {
	ID         string   `yaml:"id"`
	Title      string   `yaml:"title"`
	Topics     []string `yaml:"topics"`
	Difficulty string   `yaml:"difficulty"`
	// Story is Markdown: the situation, told to the learner.
	Story string `yaml:"story"`
	// Lesson is Markdown: what the scenario proves, shown once it has run.
	Lesson string `yaml:"lesson"`
	// Account is the home account: unqualified policy addresses and step
	// callers refer to it. It defaults to the estate's only, or lowest, account.
	Account string `yaml:"account"`
	// Clock is when the scenario starts; the sandbox clock runs from it.
	Clock    time.Time      `yaml:"clock"`
	Estate   *estate.Estate `yaml:"estate"`
	Identity []IdentityIdP  `yaml:"identityProviders"`
	Steps    []Step         `yaml:"steps"`
	// Challenge is optional.
	Challenge *Challenge `yaml:"challenge"`

	// File and line numbers of what was loaded, for messages.
	File  string `yaml:"-"`
	lines map[string]int
	// providers are the identity providers the sandbox runs, made once at
	// load (their keys are costly) and shared by every run.
	providers *providers
	// docs caches parsed edits by text (see document).
	docsMu sync.Mutex
	docs   map[string]*estate.Document
	// shippedRun is the run as shipped, made once (see shipped).
	shippedOnce sync.Once
	shippedRun  *Report
}

// IdentityIdP is an identity provider the sandbox runs for a scenario:
// an OIDC issuer (accounts.google.com, cognito-identity.amazonaws.com, a
// company IdP) or a SAML IdP registered in IAM as a SAML provider.
type IdentityIdP struct {
	// OIDC is the issuer URL, such as https://accounts.google.com.
	OIDC string `yaml:"oidc"`
	// SAML is the IAM SAML provider's name; the provider's metadata in the
	// estate is filled from the IdP the sandbox runs.
	SAML string `yaml:"saml"`
	// Account holds the SAML provider; the home account when empty.
	Account string `yaml:"account"`
}

// Step is one thing that happens: a command run by a caller, or the clock
// moving on.
type Step struct {
	// Name lets later steps and the challenge refer to this step.
	Name string `yaml:"name"`
	// As is who runs the command: "alice" (an IAM user of the home
	// account), "root", "ACCOUNT/alice", "instance i-...", "anonymous",
	// "session NAME" (the credentials a named earlier step returned), or
	// a principal ARN.
	As string `yaml:"as"`
	// Run is an AWS CLI command line. Values may use templates:
	// {{totp DEVICE}} (the virtual MFA device's current code),
	// {{oidc ISSUER sub=... aud=...}} (an ID token from an OIDC issuer the
	// sandbox runs), {{saml PROVIDER user=... role=ROLE-NAME}} (a signed
	// SAML response), {{step NAME}} (the encoded authorization message of a
	// step that was denied).
	Run string `yaml:"run"`
	// Advance moves the sandbox clock on instead, such as "1h" or "30s".
	Advance string `yaml:"advance"`
	// Expect is the outcome as shipped: Allow (or Success), ExplicitDeny,
	// ImplicitDeny, or an AWS error code such as ValidationError.
	Expect string `yaml:"expect"`
	// Note explains the step to the learner.
	Note string `yaml:"note"`

	line    int
	advance time.Duration
}

// Challenge asks the learner to edit named policies until steps give
// other outcomes.
type Challenge struct {
	// Goal is Markdown: what to achieve.
	Goal string `yaml:"goal"`
	// Edit lists the addresses of the policies the learner may change
	// (see PolicyAddress).
	Edit []string `yaml:"edit"`
	// Expect maps step names to the outcomes that solve the challenge.
	Expect map[string]string `yaml:"expect"`
	// Hints come in three tiers, each more specific.
	Hints []string `yaml:"hints"`
	// Solution maps policy addresses to their text in a reference solution.
	Solution map[string]string `yaml:"solution"`
}

// Outcomes a step can expect, beside AWS error codes.
const (
	OutcomeAllow        = "Allow"
	OutcomeSuccess      = "Success"
	OutcomeExplicitDeny = "ExplicitDeny"
	OutcomeImplicitDeny = "ImplicitDeny"
)

var difficulties = map[string]bool{"easy": true, "medium": true, "hard": true}
