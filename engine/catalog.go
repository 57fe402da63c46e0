package engine

// The service catalog: which services, actions, resource types and condition
// keys exist, as AWS's Service Authorization Reference lists them, for the
// services iamlab teaches. catalog.json is generated; see CATALOG-NOTICE.md.

//go:generate sh internal/gencatalog/gen.sh

import (
	_ "embed"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed catalog.json
var catalogJSON []byte

// serviceInfo is one AWS service (an action prefix such as "s3").
type serviceInfo struct {
	Prefix string // the action prefix, e.g. "s3"
	Name   string // e.g. "Amazon S3"

	actions       []*actionInfo // sorted by Name
	actionLower   []string      // lowercased names, parallel to actions
	actionByLower map[string]*actionInfo
	resourceTypes map[string]*resourceTypeInfo // lowercased name
	conditionKeys catalogKeySet
}

// actionInfo is one action of a service.
type actionInfo struct {
	Name string `json:"name"` // AWS's canonical case, e.g. "GetObject"
	// AccessLevel is List, Read, Write, Permissions management or Tagging;
	// the data gives some actions a combination such as
	// "Permissions management, Write" or "Tagging, Write".
	AccessLevel string `json:"access"`
	// ResourceTypes are the resource types the action can be scoped to.
	// Empty means the action supports only Resource "*".
	ResourceTypes []actionResourceType `json:"resources"`
	// ConditionKeys are the keys the reference lists for the action, both
	// on the action itself and on its resource-type rows (service keys and
	// the aws:* keys the action supports specially, such as
	// aws:RequestTag/${TagKey}). Global keys usable everywhere are not
	// repeated here.
	ConditionKeys []string `json:"conditionKeys"`
}

// actionResourceType is one resource type an action can act on.
type actionResourceType struct {
	Name     string `json:"name"` // a resourceTypeInfo name of the same service
	Required bool   `json:"required"`
}

// resourceTypeInfo is one resource type of a service.
type resourceTypeInfo struct {
	Name string `json:"name"`
	// ARNFormats are ARN templates such as
	// "arn:${Partition}:s3:::${BucketName}/${ObjectName}".
	ARNFormats    []string `json:"arns"`
	ConditionKeys []string `json:"conditionKeys"`
}

// conditionKeyInfo is one condition key. Name may hold a template such as
// "aws:RequestTag/${TagKey}" or "s3:ExistingObjectTag/<key>".
type conditionKeyInfo struct {
	Name string `json:"name"`
	Type string `json:"type"` // String, Numeric, Date, Bool, ARN, IPAddress, ArrayOfString, ...
}

// catalogKeySet looks condition keys up case-insensitively, including
// keys with templates: "${...}" or "<...>" stands for one or more
// characters, so "s3:ExistingObjectTag/team" matches
// "s3:ExistingObjectTag/<key>".
type catalogKeySet struct {
	exact     map[string]*conditionKeyInfo // lowercased name
	templates []catalogKeyTemplate
}

type catalogKeyTemplate struct {
	parts []string // literal parts; a placeholder stands between each two
	info  *conditionKeyInfo
}

type catalogData struct {
	Source struct {
		Package   string `json:"package"`
		Version   string `json:"version"`
		UpdatedAt string `json:"updatedAt"`
	} `json:"source"`
	GlobalConditionKeys []*conditionKeyInfo `json:"globalConditionKeys"`
	Services            []struct {
		Prefix        string              `json:"prefix"`
		Name          string              `json:"name"`
		Actions       []*actionInfo       `json:"actions"`
		ResourceTypes []*resourceTypeInfo `json:"resourceTypes"`
		ConditionKeys []*conditionKeyInfo `json:"conditionKeys"`
	} `json:"services"`
	OtherServices map[string]string `json:"otherServices"`
}

type catalogIndex struct {
	services map[string]*serviceInfo // lowercased prefix
	prefixes []string                // sorted
	globals  catalogKeySet
	// others maps the lowercased prefixes of AWS services outside the
	// catalog to their names.
	others map[string]string
}

var loadCatalog = sync.OnceValue(func() *catalogIndex {
	var d catalogData
	if err := json.Unmarshal(catalogJSON, &d); err != nil {
		panic("engine: bad embedded catalog.json: " + err.Error())
	}
	c := &catalogIndex{
		services: make(map[string]*serviceInfo, len(d.Services)),
		globals:  newCatalogKeySet(d.GlobalConditionKeys),
		others:   make(map[string]string, len(d.OtherServices)),
	}
	for p, name := range d.OtherServices {
		c.others[strings.ToLower(p)] = name
	}
	for _, ds := range d.Services {
		s := &serviceInfo{
			Prefix:        ds.Prefix,
			Name:          ds.Name,
			actions:       ds.Actions,
			actionLower:   make([]string, len(ds.Actions)),
			actionByLower: make(map[string]*actionInfo, len(ds.Actions)),
			resourceTypes: make(map[string]*resourceTypeInfo, len(ds.ResourceTypes)),
			conditionKeys: newCatalogKeySet(ds.ConditionKeys),
		}
		sort.Slice(s.actions, func(i, j int) bool { return s.actions[i].Name < s.actions[j].Name })
		for i, a := range s.actions {
			low := strings.ToLower(a.Name)
			s.actionLower[i] = low
			s.actionByLower[low] = a
		}
		for _, rt := range ds.ResourceTypes {
			s.resourceTypes[strings.ToLower(rt.Name)] = rt
		}
		c.services[strings.ToLower(s.Prefix)] = s
		c.prefixes = append(c.prefixes, s.Prefix)
	}
	sort.Strings(c.prefixes)
	return c
})

func newCatalogKeySet(keys []*conditionKeyInfo) catalogKeySet {
	set := catalogKeySet{exact: make(map[string]*conditionKeyInfo, len(keys))}
	for _, k := range keys {
		set.exact[strings.ToLower(k.Name)] = k
		if parts := catalogSplitKeyTemplate(k.Name); parts != nil {
			set.templates = append(set.templates, catalogKeyTemplate{parts: parts, info: k})
		}
	}
	return set
}

// catalogSplitKeyTemplate returns the literal parts of a key holding "${...}" or
// "<...>" placeholders, or nil for a key without any.
func catalogSplitKeyTemplate(name string) []string {
	var parts []string
	rest := name
	for {
		i, j := catalogKeyPlaceholder(rest)
		if i < 0 {
			break
		}
		parts = append(parts, rest[:i])
		rest = rest[j:]
	}
	if parts == nil {
		return nil
	}
	return append(parts, rest)
}

// catalogKeyPlaceholder finds the first "${...}" or "<...>" in s: its start and the
// index just past it, or -1, -1.
func catalogKeyPlaceholder(s string) (int, int) {
	for i := 0; i < len(s); i++ {
		var closer byte
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			closer = '}'
		case s[i] == '<':
			closer = '>'
		default:
			continue
		}
		if k := strings.IndexByte(s[i+1:], closer); k >= 0 {
			return i, i + 1 + k + 1
		}
	}
	return -1, -1
}

func (set *catalogKeySet) lookup(name string) (*conditionKeyInfo, bool) {
	if k, ok := catalogLookupFold(set.exact, name); ok {
		return k, true
	}
	for i := range set.templates {
		if catalogMatchKeyTemplate(name, set.templates[i].parts) {
			return set.templates[i].info, true
		}
	}
	return nil, false
}

// catalogMatchKeyTemplate reports whether name matches the template parts
// case-insensitively, each placeholder standing for one or more characters.
func catalogMatchKeyTemplate(name string, parts []string) bool {
	if !catalogHasPrefixFold(name, parts[0]) {
		return false
	}
	return catalogMatchAfterPlaceholder(name[len(parts[0]):], parts[1:])
}

func catalogMatchAfterPlaceholder(s string, parts []string) bool {
	lit := parts[0]
	if len(parts) == 1 {
		return len(s) > len(lit) && strings.EqualFold(s[len(s)-len(lit):], lit)
	}
	for i := 1; i+len(lit) <= len(s); i++ {
		if catalogHasPrefixFold(s[i:], lit) && catalogMatchAfterPlaceholder(s[i+len(lit):], parts[1:]) {
			return true
		}
	}
	return false
}

func catalogHasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// catalogLookupFold looks s up in a map keyed by lowercased strings without
// allocating for ASCII names of ordinary length.
func catalogLookupFold[V any](m map[string]V, s string) (V, bool) {
	var buf [64]byte
	b := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			v, ok := m[strings.ToLower(s)]
			return v, ok
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	v, ok := m[string(b)]
	return v, ok
}

// lookupService returns the service with the given action prefix
// (case-insensitive), if the catalog has it.
func lookupService(prefix string) (*serviceInfo, bool) {
	return catalogLookupFold(loadCatalog().services, prefix)
}

// catalogServicePrefixes returns the prefixes of all services in the
// catalog, sorted. The caller may modify the slice.
// otherServiceName returns the name of a real AWS service whose actions
// the catalog does not carry.
func otherServiceName(prefix string) (string, bool) {
	n, ok := loadCatalog().others[strings.ToLower(prefix)]
	return n, ok
}

func catalogServicePrefixes() []string {
	return append([]string(nil), loadCatalog().prefixes...)
}

// globalConditionKey looks up an AWS global condition key (aws:*),
// case-insensitively; "aws:PrincipalTag/team" matches
// "aws:PrincipalTag/${TagKey}".
func globalConditionKey(name string) (*conditionKeyInfo, bool) {
	return loadCatalog().globals.lookup(name)
}

// action looks up an action by name (without the "service:" prefix),
// case-insensitively.
func (s *serviceInfo) action(name string) (*actionInfo, bool) {
	return catalogLookupFold(s.actionByLower, name)
}

// actionsMatching returns the actions whose names match pattern (the part of
// an action after "service:"), where "*" matches any run of characters and
// "?" any one character, case-insensitively. The result is sorted by name
// and is nil when nothing matches.
func (s *serviceInfo) actionsMatching(pattern string) []*actionInfo {
	if !strings.ContainsAny(pattern, "*?") {
		if a, ok := s.action(pattern); ok {
			return []*actionInfo{a}
		}
		return nil
	}
	var out []*actionInfo
	for i, low := range s.actionLower {
		if catalogGlobFold(pattern, low) {
			out = append(out, s.actions[i])
		}
	}
	return out
}

// resourceType looks up a resource type by name, case-insensitively.
func (s *serviceInfo) resourceType(name string) (*resourceTypeInfo, bool) {
	return catalogLookupFold(s.resourceTypes, name)
}

// conditionKey looks up a condition key the service lists, by its full name
// (e.g. "s3:prefix", "ec2:ResourceTag/team"), case-insensitively. The
// service's list includes the aws:* keys it supports specially (such as
// aws:RequestTag/${TagKey}); use globalConditionKey for the global keys.
func (s *serviceInfo) conditionKey(name string) (*conditionKeyInfo, bool) {
	return s.conditionKeys.lookup(name)
}

// catalogGlobFold matches name (already lowercased ASCII) against pattern with
// "*" and "?" wildcards, ignoring ASCII case in pattern.
func catalogGlobFold(pattern, name string) bool {
	p, n := 0, 0
	starP, starN := -1, 0
	for n < len(name) {
		if p < len(pattern) {
			switch c := pattern[p]; c {
			case '*':
				starP, starN = p, n
				p++
				continue
			case '?':
				p++
				n++
				continue
			default:
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				if c == name[n] {
					p++
					n++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starN++
		p, n = starP+1, starN
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
