package serve

import (
	"encoding/json"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SaveScenario writes the scenario with the estate as it is now, changed
// by the API calls served, in the scenario file format. Issued sessions
// are left out: they are credentials, not the estate.
func (s *Server) SaveScenario(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.sb.Estate.Clone()
	e.Sessions = nil
	var doc, served yaml.Node
	if err := doc.Encode(s.sb.Scenario); err != nil {
		return err
	}
	if err := served.Encode(e); err != nil {
		return err
	}
	// Swap the estate as loaded for the estate as served.
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "estate" {
			doc.Content[i+1] = &served
		}
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	return enc.Close()
}

// Limits on a suggested policy: a customer managed policy's 6,144
// characters, not counting white space.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const maxManagedPolicy = 6144

// SuggestPolicies writes, for each principal that made calls, the
// narrowest identity policy that allows every authorization it asked for:
// the exact actions and resources seen, grouped into statements; widened
// to BUCKET/* object ARNs only if the policy would pass IAM's size limit.
// The output is a JSON object from principal ARN to policy document;
// only a server started with Options.Suggest records the calls.
func (s *Server) SuggestPolicies(w io.Writer) error {
	s.mu.Lock()
	out := map[string]any{}
	for principal, used := range s.used {
		out[principal] = suggest(used)
	}
	s.mu.Unlock()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type statement struct {
	Effect   string
	Action   []string
	Resource []string
}

func suggest(used map[grant]bool) map[string]any {
	for _, widen := range []func(string) string{keep, objectsOfBucket, serviceWide} {
		byAction := map[string]map[string]bool{}
		for g := range used {
			if byAction[g.action] == nil {
				byAction[g.action] = map[string]bool{}
			}
			byAction[g.action][widen(g.resource)] = true
		}
		// Actions with the same resources share a statement.
		groups := map[string][]string{}
		for action, res := range byAction {
			key := strings.Join(slices.Sorted(maps.Keys(res)), "\n")
			groups[key] = append(groups[key], action)
		}
		var stmts []statement
		for _, key := range slices.Sorted(maps.Keys(groups)) {
			actions := groups[key]
			sort.Strings(actions)
			stmts = append(stmts, statement{"Allow", actions, strings.Split(key, "\n")})
		}
		sort.Slice(stmts, func(i, j int) bool { return stmts[i].Action[0] < stmts[j].Action[0] })
		doc := map[string]any{"Version": "2012-10-17", "Statement": stmts}
		if b, _ := json.Marshal(doc); len(b) <= maxManagedPolicy {
			return doc
		}
	}
	return map[string]any{"Version": "2012-10-17", "Statement": []statement{{"Allow", []string{"*"}, []string{"*"}}}}
}

func keep(arn string) string { return arn }

// objectsOfBucket widens an object ARN to every object of its bucket.
func objectsOfBucket(arn string) string {
	if rest, ok := strings.CutPrefix(arn, "arn:aws:s3:::"); ok {
		if b, _, ok := strings.Cut(rest, "/"); ok {
			return "arn:aws:s3:::" + b + "/*"
		}
	}
	return arn
}

// serviceWide widens an ARN to every resource of its service and account.
func serviceWide(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return arn
	}
	return strings.Join(parts[:5], ":") + ":*"
}
