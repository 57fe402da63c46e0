#!/usr/bin/env node
// Compares iamlab's decisions with iam-simulate's, line by line.
//
//   node compare.mjs requests.jsonl iamlab-out.jsonl iamsimulate-out.jsonl [--show 20]
//
// Each output line is {"decision": ...} or {"error": ...}. Prints how many
// decisions agree, a table of (iamlab, iam-simulate) pairs, and the first
// --show disagreements with the request's line number. Exits 0 whatever the
// agreement: a disagreement is something to look at, not a harness failure.

import { readFileSync } from 'node:fs'

const args = process.argv.slice(2)
let show = 20
const files = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--show') show = Number(args[++i])
  else files.push(args[i])
}
if (files.length !== 3 || !Number.isInteger(show) || show < 0) {
  console.error('usage: node compare.mjs requests.jsonl iamlab-out.jsonl iamsimulate-out.jsonl [--show N]')
  process.exit(2)
}

const readLines = (f) => {
  const lines = readFileSync(f, 'utf8').split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}
const [requests, ours, theirs] = files.map(readLines)

const label = (line) => {
  try {
    const r = JSON.parse(line)
    if (r.error !== undefined) return 'error'
    return r.decision ?? 'no-decision'
  } catch {
    return 'unreadable'
  }
}
const detail = (line) => {
  try {
    const r = JSON.parse(line)
    return r.error !== undefined ? `error: ${String(r.error).slice(0, 160)}` : r.decision
  } catch {
    return `unreadable: ${line.slice(0, 80)}`
  }
}
const summary = (line) => {
  try {
    const r = JSON.parse(line)
    return `${r.principal?.arn ?? 'anonymous'} ${r.action} ${r.resource?.arn}`
  } catch {
    return '(unreadable request)'
  }
}

if (ours.length !== requests.length) console.log(`warning: iamlab wrote ${ours.length} lines for ${requests.length} requests`)
if (theirs.length !== requests.length) console.log(`warning: iam-simulate wrote ${theirs.length} lines for ${requests.length} requests`)

const n = Math.min(ours.length, theirs.length)
let agree = 0
const pairs = new Map()
const diffs = []
for (let i = 0; i < n; i++) {
  const a = label(ours[i])
  const b = label(theirs[i])
  const key = `${a} | ${b}`
  pairs.set(key, (pairs.get(key) ?? 0) + 1)
  if (a === b && a !== 'error' && a !== 'unreadable' && a !== 'no-decision') agree++
  else if (diffs.length < show) diffs.push(i)
}

const pct = n ? ((100 * agree) / n).toFixed(2) : '0.00'
console.log(`agreement: ${agree} of ${n} decisions agree (${pct}%)`)
console.log('pairs (iamlab | iam-simulate):')
for (const [k, v] of [...pairs].sort((x, y) => y[1] - x[1])) console.log(`  ${String(v).padStart(7)}  ${k}`)
if (diffs.length) {
  console.log(`first ${diffs.length} disagreements (line: iamlab vs iam-simulate; request):`)
  for (const i of diffs) {
    console.log(`  line ${i + 1}: iamlab=${detail(ours[i])}  iam-simulate=${detail(theirs[i])}`)
    console.log(`      ${summary(requests[i])}`)
  }
}
console.log(`AGREE agree=${agree} total=${n}`)
