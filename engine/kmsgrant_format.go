package engine

import "strconv"

// The eval format's KMS and S3 fields (docs/eval-request.md):
// resource.kmsGrants, encryptionContext and s3.

// decodeStringMap reads an object of string values, such as an
// encryption context.
func decodeStringMap(v *node, path string) (map[string]string, error) {
	if v.kind != nodeObject {
		return nil, errAt(v, path, "must be an object of string keys and string values, not %s", v.kind)
	}
	out := make(map[string]string, len(v.members))
	for _, m := range v.members {
		if m.value.kind != nodeString {
			return nil, errAt(m.value, path+"."+m.key, "must be a string, not %s", m.value.kind)
		}
		if _, dup := out[m.key]; dup {
			return nil, &InputError{Path: path + "." + m.key, Pos: m.keyPos, Problem: "the same key appears twice"}
		}
		out[m.key] = m.value.str
	}
	return out, nil
}

// decodeGrants reads resource.kmsGrants. Its items sit below policyDepth,
// so RequestDecoder's parse leaves them raw; they are parsed here, and their
// values taken from valuesLeft, the request's remaining budget. (An error
// sends Decode to the uncached parse, which names the place.)
func decodeGrants(v *node, path string, valuesLeft *int) ([]Grant, error) {
	if v.kind != nodeArray {
		return nil, errAt(v, path, "must be a list of grants, not %s", v.kind)
	}
	out := make([]Grant, 0, len(v.items))
	for i, it := range v.items {
		var parser *jsonParser
		if it.raw {
			var err error
			if it, parser, err = parseJSONText(it.str, 0, MaxRequestValues); err != nil {
				return nil, err
			}
			// The raw object counted as one value.
			*valuesLeft -= MaxRequestValues - parser.valuesLeft - 1
		}
		g, err := decodeGrant(it, path+"["+strconv.Itoa(i)+"]")
		if parser != nil {
			parser.release()
		}
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func decodeGrant(v *node, path string) (Grant, error) {
	var g Grant
	if v.kind != nodeObject {
		return g, errAt(v, path, "must be an object with granteePrincipal and operations, not %s", v.kind)
	}
	str := func(n *node, p string) (string, error) {
		if n.kind != nodeString {
			return "", errAt(n, p, "must be a string, not %s", n.kind)
		}
		return n.str, nil
	}
	haveGrantee, haveOps := false, false
	for _, m := range v.members {
		p := path + "." + m.key
		var err error
		switch m.key {
		case "grantId":
			g.ID, err = str(m.value, p)
		case "name":
			g.Name, err = str(m.value, p)
		case "granteePrincipal":
			g.GranteePrincipal, err = str(m.value, p)
			haveGrantee = true
		case "operations":
			if m.value.kind != nodeArray || len(m.value.items) == 0 {
				return g, errAt(m.value, p, "must be a non-empty list of KMS operation names such as \"Decrypt\"")
			}
			for j, it := range m.value.items {
				s, err := str(it, p+"["+strconv.Itoa(j)+"]")
				if err != nil {
					return g, err
				}
				g.Operations = append(g.Operations, s)
			}
			haveOps = true
		case "constraints":
			if m.value.kind == nodeNull {
				continue
			}
			if m.value.kind != nodeObject {
				return g, errAt(m.value, p, "must be an object with encryptionContextEquals or encryptionContextSubset, not %s", m.value.kind)
			}
			g.Constraints = &GrantConstraints{}
			for _, c := range m.value.members {
				cp := p + "." + c.key
				switch c.key {
				case "encryptionContextEquals":
					g.Constraints.EncryptionContextEquals, err = decodeStringMap(c.value, cp)
				case "encryptionContextSubset":
					g.Constraints.EncryptionContextSubset, err = decodeStringMap(c.value, cp)
				default:
					return g, &InputError{Path: cp, Pos: c.keyPos, Problem: "unknown field: grant constraints are encryptionContextEquals and encryptionContextSubset"}
				}
				if err != nil {
					return g, err
				}
			}
		default:
			return g, &InputError{Path: p, Pos: m.keyPos, Problem: "unknown field: a grant has grantId, name, granteePrincipal, operations and constraints"}
		}
		if err != nil {
			return g, err
		}
	}
	if !haveGrantee {
		return g, errAt(v, path+".granteePrincipal", "missing: the principal the grant gives its operations to")
	}
	if !haveOps {
		return g, errAt(v, path+".operations", "missing: the KMS operations the grant allows, such as [\"Decrypt\"]")
	}
	return g, nil
}

func decodeS3(v *node) (*S3Request, error) {
	if v.kind != nodeObject {
		return nil, errAt(v, "s3", "must be an object such as {\"restrictPublicBuckets\": true}, not %s", v.kind)
	}
	out := &S3Request{}
	for _, m := range v.members {
		switch m.key {
		case "restrictPublicBuckets":
			if m.value.kind != nodeBool {
				return nil, errAt(m.value, "s3."+m.key, "must be true or false, not %s", m.value.kind)
			}
			out.RestrictPublicBuckets = m.value.str == "true"
		default:
			if ok, err := decodeS3ACLField(&m, out); ok {
				if err != nil {
					return nil, err
				}
				continue
			}
			return nil, &InputError{Path: "s3." + m.key, Pos: m.keyPos, Problem: "unknown field: s3 has restrictPublicBuckets, ignorePublicAcls, bucketAcl, objectAcl and objectOwner"}
		}
	}
	return out, nil
}
