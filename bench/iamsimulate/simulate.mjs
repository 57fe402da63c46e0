#!/usr/bin/env node
// Runs every request of a workload file (the `iamlab eval` request format of
// shared/eval-request.md, one per line) through @cloud-copilot/iam-simulate in
// this one process, and reports its throughput.
//
//   node simulate.mjs [-i requests.jsonl] [-o iamsimulate-out.jsonl] [--warmup 500]
//
// The output file has one line per request, in order, shaped like iamlab's
// results: {"decision":"Allow"|"ExplicitDeny"|"ImplicitDeny"} or {"error":"..."}.
// The last line printed on stdout is machine-readable:
//   RESULT version=X requests=N seconds=S rps=R errors=E
//
// What is timed: only the runSimulation calls, one after another, for all N
// requests, after reading, parsing and converting the whole file and after an
// untimed warm-up pass over the first --warmup requests (which loads
// iam-simulate's lazily read service data and lets the JIT settle). That is
// the most favourable measurement for iam-simulate that we can think of, so
// the ratio run.sh reports is a lower bound for iamlab.
//
// iam-simulate is AGPL-3.0; this file only calls its public API
// (runSimulation, anonymousPrincipal) as documented in its README and typings.

import { readFileSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate'

function parseArgs(argv) {
  const opts = { in: 'requests.jsonl', out: 'iamsimulate-out.jsonl', warmup: 500 }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`)
      return argv[++i]
    }
    if (a === '-i' || a === '--in') opts.in = next()
    else if (a === '-o' || a === '--out') opts.out = next()
    else if (a === '--warmup') opts.warmup = Number(next())
    else if (a === '-h' || a === '--help') usage()
    else usage(`unknown argument ${a}`)
  }
  if (!Number.isInteger(opts.warmup) || opts.warmup < 0) usage('--warmup must be a whole number')
  return opts
}

function usage(msg) {
  if (msg) console.error(`simulate: ${msg}`)
  console.error('usage: node simulate.mjs [-i requests.jsonl] [-o iamsimulate-out.jsonl] [--warmup N]')
  process.exit(msg ? 2 : 0)
}

// ---- conversion from our request format to iam-simulate's Simulation ------

const arnAccount = (arn) => (typeof arn === 'string' && arn.startsWith('arn:') ? arn.split(':')[4] || undefined : undefined)

const statementsOf = (doc) => {
  const s = doc?.Statement
  if (s === undefined || s === null) return []
  return Array.isArray(s) ? s : [s]
}

// iam-simulate takes one session policy document; ours is a list (the inline
// Policy plus managed PolicyArns). A request must be allowed by the union of
// them, so their statements are merged into one document. Sids get a prefix so
// two documents that reuse a Sid do not collide.
function mergeSessionPolicies(docs) {
  if (!docs || docs.length === 0) return undefined
  if (docs.length === 1) return docs[0]
  const Statement = []
  docs.forEach((d, i) => {
    for (const st of statementsOf(d)) {
      Statement.push(st.Sid === undefined ? st : { ...st, Sid: `Session${i}${st.Sid}` })
    }
  })
  return { Version: '2012-10-17', Statement }
}

// Context values: iam-simulate takes strings and lists of strings only.
function contextValue(v) {
  if (Array.isArray(v)) return v.map((x) => String(x))
  return String(v)
}

function hasKey(ctx, key) {
  const k = key.toLowerCase()
  return Object.keys(ctx).some((x) => x.toLowerCase() === k)
}

// Keys our format says the engine derives from the request; iam-simulate does
// not derive them, so fill them in where the request does not give them. (The
// generated workload gives all of them, so this does not change its results.)
function deriveContext(ctx, principalArn) {
  if (!hasKey(ctx, 'aws:CurrentTime')) ctx['aws:CurrentTime'] = new Date().toISOString()
  if (!principalArn) return
  const [, , service, , account, rest = ''] = principalArn.split(':')
  if (!hasKey(ctx, 'aws:PrincipalAccount') && account) ctx['aws:PrincipalAccount'] = account
  if (!hasKey(ctx, 'aws:PrincipalArn')) {
    const m = service === 'sts' && rest.match(/^assumed-role\/([^/]+)\//)
    ctx['aws:PrincipalArn'] = m ? `arn:aws:iam::${account}:role/${m[1]}` : principalArn
  }
  if (!hasKey(ctx, 'aws:username') && service === 'iam' && rest.startsWith('user/')) {
    ctx['aws:username'] = rest.slice(rest.lastIndexOf('/') + 1)
  }
}

function toSimulation(req) {
  const p = req.principal ?? null
  const anonymous = p === null
  const org = req.organization ?? {}
  const principalAccount = anonymous ? undefined : arnAccount(p.arn)
  const resource = req.resource ?? {}
  const contextVariables = {}
  for (const [k, v] of Object.entries(req.context ?? {})) contextVariables[k] = contextValue(v)
  deriveContext(contextVariables, anonymous ? null : p.arn)

  const named = (prefix) => (policy, i) => ({ name: `${prefix}-${i + 1}`, policy })
  const levels = (kind, list) =>
    (list ?? []).map((docs, i) => ({ orgIdentifier: `${kind}-level-${i + 1}`, policies: (docs ?? []).map(named(`${kind}-${i + 1}`)) }))

  const sim = {
    request: {
      principal: anonymous ? anonymousPrincipal : p.arn,
      action: req.action,
      resource: {
        resource: resource.arn,
        accountId: resource.account ?? principalAccount ?? arnAccount(resource.arn) ?? '',
      },
      contextVariables,
    },
    identityPolicies: anonymous ? [] : (p.identityPolicies ?? []).map(named('identity')),
    // SCPs apply to the principal's account; an anonymous request has none,
    // and iam-simulate rejects SCPs on anonymous requests.
    serviceControlPolicies: anonymous ? [] : levels('scp', org.serviceControlPolicies),
    resourceControlPolicies: levels('rcp', org.resourceControlPolicies),
  }
  if (resource.policy) sim.resourcePolicy = resource.policy
  if (!anonymous && p.permissionsBoundary) sim.permissionBoundaryPolicies = [{ name: 'boundary', policy: p.permissionsBoundary }]
  const session = anonymous ? undefined : mergeSessionPolicies(p.sessionPolicies)
  if (session) sim.sessionPolicy = session
  return sim
}

const DECISION = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' }

function resultLine(res) {
  if (res.resultType === 'error') return { error: `iam-simulate: ${res.errors?.message ?? 'error'}: ${JSON.stringify(res.errors)}` }
  const d = DECISION[res.overallResult]
  return d ? { decision: d } : { error: `iam-simulate: unknown result ${res.overallResult}` }
}

// ---- main ------------------------------------------------------------------

const opts = parseArgs(process.argv.slice(2))
// The package's exports do not include package.json; read it from node_modules.
const version = JSON.parse(
  readFileSync(new URL('./node_modules/@cloud-copilot/iam-simulate/package.json', import.meta.url), 'utf8'),
).version

const lines = readFileSync(opts.in, 'utf8').split('\n')
if (lines.at(-1) === '') lines.pop()
// Conversion happens before timing; a line we cannot read or convert is an
// error result, not a crash, as in iamlab's --jsonl mode.
const sims = lines.map((line, i) => {
  try {
    return toSimulation(JSON.parse(line))
  } catch (e) {
    return new Error(`line ${i + 1}: ${e.message}`)
  }
})
const n = sims.length
console.log(`iam-simulate ${version}: ${n} requests from ${opts.in}`)

async function runOne(sim) {
  if (sim instanceof Error) return { error: sim.message }
  try {
    return resultLine(await runSimulation(sim, {}))
  } catch (e) {
    return { error: `iam-simulate threw: ${e.message}` }
  }
}

const warm = Math.min(opts.warmup, n)
const w0 = performance.now()
for (let i = 0; i < warm; i++) await runOne(sims[i])
if (warm) console.log(`warm-up: ${warm} requests in ${((performance.now() - w0) / 1000).toFixed(3)} s (not counted)`)

const results = new Array(n)
const t0 = performance.now()
for (let i = 0; i < n; i++) results[i] = await runOne(sims[i])
const seconds = (performance.now() - t0) / 1000

writeFileSync(opts.out, results.map((r) => JSON.stringify(r)).join('\n') + (n ? '\n' : ''))

const counts = { Allow: 0, ExplicitDeny: 0, ImplicitDeny: 0, error: 0 }
for (const r of results) counts[r.error !== undefined ? 'error' : r.decision]++
const rps = n / seconds
console.log(`decisions: Allow ${counts.Allow}, ExplicitDeny ${counts.ExplicitDeny}, ImplicitDeny ${counts.ImplicitDeny}, error ${counts.error} -> ${opts.out}`)
const firstError = results.findIndex((r) => r.error !== undefined)
if (firstError >= 0) console.log(`first error (line ${firstError + 1}): ${results[firstError].error}`)
console.log(`timed: ${n} requests in ${seconds.toFixed(3)} s = ${rps.toFixed(1)} requests/s`)
console.log(`RESULT version=${version} requests=${n} seconds=${seconds.toFixed(6)} rps=${rps.toFixed(3)} errors=${counts.error}`)
