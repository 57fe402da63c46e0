package sts_test

import (
	"testing"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// BenchmarkAssumeRole: validation, MFA-free authentication, the trust
// policy and identity policy evaluations, and minting credentials.
func BenchmarkAssumeRole(b *testing.B) {
	w := newWorld(b)
	in := sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "bench"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.svc.AssumeRole(alice, in); err != nil {
			b.Fatal(err)
		}
		if len(w.e.Sessions) > 10000 {
			w.e.Sessions = map[string]*estate.Session{}
		}
	}
}

// BenchmarkAssumeRoleSessionPolicy adds a session policy and session
// tags, which STS packs and the trust policy checks with sts:TagSession.
func BenchmarkAssumeRoleSessionPolicy(b *testing.B) {
	w := newWorld(b)
	in := sts.AssumeRoleInput{RoleArn: chainARN, RoleSessionName: "bench", Tags: []sts.Tag{{Key: "project", Value: "x"}},
		Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.svc.AssumeRole(alice, in); err != nil {
			b.Fatal(err)
		}
		if len(w.e.Sessions) > 10000 {
			w.e.Sessions = map[string]*estate.Session{}
		}
	}
}

// BenchmarkAssumeRoleWithWebIdentity includes verifying an RS256
// signature.
func BenchmarkAssumeRoleWithWebIdentity(b *testing.B) {
	w := newWorld(b)
	tok, _ := w.idp.google.Token(sts.IDClaims{Subject: "1", Audience: googleAud}, w.clock.Now())
	in := sts.AssumeRoleWithWebIdentityInput{RoleArn: webAppARN, RoleSessionName: "bench", WebIdentityToken: tok}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.svc.AssumeRoleWithWebIdentity(in); err != nil {
			b.Fatal(err)
		}
		if len(w.e.Sessions) > 10000 {
			w.e.Sessions = map[string]*estate.Session{}
		}
	}
}

// BenchmarkCallWithRoleSession is a call through the estate with
// temporary credentials: session lookup, role policies, session context.
func BenchmarkCallWithRoleSession(b *testing.B) {
	w := newWorld(b)
	out, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	c := w.call(creds(out.Credentials))
	b.ReportAllocs()
	for b.Loop() {
		if d := w.e.Authorize(c, "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt"); !d.Allowed() {
			b.Fatal(d.Err)
		}
	}
}
