package awscli

import (
	"encoding/json"
	"fmt"
	"strings"

	"iamlab/engine/estate"
)

// KMS grants and encryption contexts in the sandbox (issue 11, piece 5).
// https://docs.aws.amazon.com/cli/latest/reference/kms/create-grant.html

// parseStringMap reads a map option as the CLI takes it: JSON
// ({"Department":"IT"}) or shorthand (Department=IT,Project=alpha).
func parseStringMap(option, v string) (map[string]string, error) {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "{") && strings.Contains(v, `"`) {
		var m map[string]string
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return nil, fmt.Errorf("--%s: %q is not a JSON object of strings: %w", option, v, err)
		}
		return m, nil
	}
	v = strings.TrimSuffix(strings.TrimPrefix(v, "{"), "}")
	m := map[string]string{}
	for _, kv := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--%s: expected KEY=VALUE pairs separated by commas, or JSON, not %q", option, kv)
		}
		m[k] = val
	}
	return m, nil
}

// parseConstraints reads --constraints: JSON
// ({"EncryptionContextSubset":{"Department":"IT"}}) or shorthand
// (EncryptionContextSubset={Department=IT}).
func parseConstraints(v string) (*estate.GrantConstraints, error) {
	v = strings.TrimSpace(v)
	out := &estate.GrantConstraints{}
	if strings.HasPrefix(v, "{") {
		var raw map[string]map[string]string
		if err := json.Unmarshal([]byte(v), &raw); err != nil {
			return nil, fmt.Errorf("--constraints: %q is not JSON of the form {\"EncryptionContextSubset\":{\"KEY\":\"VALUE\"}}: %w", v, err)
		}
		for k, m := range raw {
			if err := setConstraint(out, k, m); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	for v != "" {
		name, rest, ok := strings.Cut(v, "={")
		end := strings.IndexByte(rest, '}')
		if !ok || end < 0 {
			return nil, fmt.Errorf("--constraints: expected EncryptionContextSubset={KEY=VALUE,...} or EncryptionContextEquals={...}, not %q", v)
		}
		m, err := parseStringMap("constraints", rest[:end])
		if err != nil {
			return nil, err
		}
		if err := setConstraint(out, name, m); err != nil {
			return nil, err
		}
		v = strings.TrimPrefix(rest[end+1:], ",")
	}
	return out, nil
}

// setConstraint stores one constraint by its API name.
func setConstraint(c *estate.GrantConstraints, name string, m map[string]string) error {
	switch name {
	case "EncryptionContextSubset":
		c.EncryptionContextSubset = m
	case "EncryptionContextEquals":
		c.EncryptionContextEquals = m
	default:
		return fmt.Errorf("--constraints: %q is not a grant constraint; use EncryptionContextSubset or EncryptionContextEquals", name)
	}
	return nil
}

// operations reads --operations, written "Decrypt Encrypt" or "Decrypt,Encrypt".
func operations(c *Command) []string {
	var out []string
	for _, v := range list(c, "operations") {
		for _, op := range strings.Split(v, ",") {
			if op != "" {
				out = append(out, op)
			}
		}
	}
	return out
}

// encryptionContext reads --encryption-context; nil when absent.
func encryptionContext(c *Command) (map[string]string, error) {
	if !c.Has("encryption-context") {
		return nil, nil
	}
	return parseStringMap("encryption-context", c.Arg("encryption-context"))
}

// kmsUse runs a cryptographic operation with its encryption context.
// --grant-tokens is accepted: a grant here is effective at once, so the
// token that would bridge KMS's eventual consistency changes nothing.
// https://docs.aws.amazon.com/kms/latest/developerguide/using-grant-token.html
func kmsUse(action, op string, out func(arn string) any) func(e *Env, r *Result, caller estate.Caller, c *Command) {
	return func(e *Env, r *Result, caller estate.Caller, c *Command) {
		ec, err := encryptionContext(c)
		if err != nil {
			r.Code, r.Message = "ParamValidation", err.Error()
			return
		}
		arn := e.keyARN(caller, c.Arg("key-id"))
		d, err := e.Estate.UseKey(e.call(caller), action, arn, ec)
		if !r.decided(d, err, op) {
			return
		}
		r.Succeed(out(arn))
	}
}

func createGrant(e *Env, r *Result, caller estate.Caller, c *Command) {
	in := estate.CreateGrantInput{KeyARN: e.keyARN(caller, c.Arg("key-id")), GranteePrincipal: c.Arg("grantee-principal"),
		RetiringPrincipal: c.Arg("retiring-principal"), Operations: operations(c), Name: c.Arg("name")}
	if c.Has("constraints") {
		cons, err := parseConstraints(c.Arg("constraints"))
		if err != nil {
			r.Code, r.Message = "ParamValidation", err.Error()
			return
		}
		in.Constraints = cons
	}
	g, d, err := e.Estate.CreateGrant(e.call(caller), in)
	if !r.decided(d, err, "CreateGrant") {
		return
	}
	r.Succeed(map[string]string{"GrantToken": "AQpAM2RhZTk1" + g.GrantID[:16], "GrantId": g.GrantID})
}

func listGrants(e *Env, r *Result, caller estate.Caller, c *Command) {
	arn := e.keyARN(caller, c.Arg("key-id"))
	gs, d, err := e.Estate.ListGrants(e.call(caller), arn)
	if !r.decided(d, err, "ListGrants") {
		return
	}
	out := make([]map[string]any, 0, len(gs))
	for _, g := range gs {
		if (c.Has("grant-id") && g.GrantID != c.Arg("grant-id")) || (c.Has("grantee-principal") && g.GranteePrincipal != c.Arg("grantee-principal")) {
			continue
		}
		m := map[string]any{"KeyId": arn, "GrantId": g.GrantID, "GranteePrincipal": g.GranteePrincipal, "Operations": g.Operations}
		if g.Name != "" {
			m["Name"] = g.Name
		}
		if g.RetiringPrincipal != "" {
			m["RetiringPrincipal"] = g.RetiringPrincipal
		}
		if g.IssuingAccount != "" {
			m["IssuingAccount"] = "arn:aws:iam::" + g.IssuingAccount + ":root"
		}
		if k := g.Constraints; k != nil {
			cm := map[string]any{}
			if k.EncryptionContextSubset != nil {
				cm["EncryptionContextSubset"] = k.EncryptionContextSubset
			}
			if k.EncryptionContextEquals != nil {
				cm["EncryptionContextEquals"] = k.EncryptionContextEquals
			}
			m["Constraints"] = cm
		}
		out = append(out, m)
	}
	r.Succeed(map[string]any{"Grants": out, "Truncated": false})
}

// dropGrant runs retire-grant or revoke-grant.
func dropGrant(op string, do func(e *Env, c estate.Call, key, id string) (*estate.Decision, error)) func(e *Env, r *Result, caller estate.Caller, c *Command) {
	return func(e *Env, r *Result, caller estate.Caller, c *Command) {
		d, err := do(e, e.call(caller), e.keyARN(caller, c.Arg("key-id")), c.Arg("grant-id"))
		r.decided(d, err, op)
	}
}
