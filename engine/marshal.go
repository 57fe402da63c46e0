package engine

import "bytes"

// MarshalJSON writes the policy back as a policy document, in AWS's
// element order, keeping single values single and lists lists.
func (p *Policy) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	field := func(name string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeJSONString(&b, name)
		b.WriteByte(':')
	}
	if p.Version != "" {
		field("Version")
		writeJSONString(&b, p.Version)
	}
	if p.idSet {
		field("Id")
		writeJSONString(&b, p.ID)
	}
	field("Statement")
	if !p.statementList && len(p.Statements) == 1 {
		p.Statements[0].marshal(&b)
	} else {
		b.WriteByte('[')
		for i := range p.Statements {
			if i > 0 {
				b.WriteByte(',')
			}
			p.Statements[i].marshal(&b)
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (s *Statement) marshal(b *bytes.Buffer) {
	b.WriteByte('{')
	first := true
	field := func(name string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeJSONString(b, name)
		b.WriteByte(':')
	}
	if s.sidSet {
		field("Sid")
		writeJSONString(b, s.Sid)
	}
	field("Effect")
	writeJSONString(b, s.Effect.String())
	if s.Principal != nil {
		field("Principal")
		s.Principal.marshal(b)
	}
	if s.NotPrincipal != nil {
		field("NotPrincipal")
		s.NotPrincipal.marshal(b)
	}
	if s.NotAction {
		field("NotAction")
	} else {
		field("Action")
	}
	writePatterns(b, s.Actions, s.actionList)
	if s.HasResource {
		if s.NotResource {
			field("NotResource")
		} else {
			field("Resource")
		}
		writePatterns(b, s.Resources, s.resourceList)
	}
	if len(s.Conditions) > 0 {
		field("Condition")
		b.WriteByte('{')
		// Conditions are stored flat; regroup them by operator in order.
		for i := 0; i < len(s.Conditions); {
			op := s.Conditions[i].Operator
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, op)
			b.WriteString(":{")
			j := i
			for ; j < len(s.Conditions) && s.Conditions[j].Operator == op; j++ {
				if j > i {
					b.WriteByte(',')
				}
				c := &s.Conditions[j]
				writeJSONString(b, c.Key)
				b.WriteByte(':')
				writePatterns(b, c.Values, c.list)
			}
			b.WriteByte('}')
			i = j
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
}

func (pr *Principals) marshal(b *bytes.Buffer) {
	if pr.Star {
		b.WriteString(`"*"`)
		return
	}
	b.WriteByte('{')
	for i := 0; i < len(pr.Entries); {
		kind := pr.Entries[i].Kind
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(b, kind.String())
		b.WriteByte(':')
		j := i
		for j < len(pr.Entries) && pr.Entries[j].Kind == kind {
			j++
		}
		group := pr.Entries[i:j]
		if !group[0].list && len(group) == 1 {
			writeJSONString(b, group[0].Value)
		} else {
			b.WriteByte('[')
			for k, e := range group {
				if k > 0 {
					b.WriteByte(',')
				}
				writeJSONString(b, e.Value)
			}
			b.WriteByte(']')
		}
		i = j
	}
	b.WriteByte('}')
}

func writePatterns(b *bytes.Buffer, ps []Pattern, list bool) {
	if !list && len(ps) == 1 {
		writeJSONString(b, ps[0].Text)
		return
	}
	b.WriteByte('[')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(b, p.Text)
	}
	b.WriteByte(']')
}

func writeJSONString(b *bytes.Buffer, s string) {
	b.Write(appendJSONString(b.AvailableBuffer(), s))
}
