'use strict';
// Every `./solvent …` command written in README.md and docs/*.md names a real command and real options:
// for each one, `./solvent <command words> --help` must succeed and list every `--option` the docs use
// with it. Catches docs that drift from the CLI (a renamed flag, a removed subcommand) without running
// the long jobs themselves. Usage: node doc-commands.js (from anywhere; paths are the repository's).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const files = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter(f => f.endsWith('.md')).map(f => path.join('docs', f))];
const found = new Map(); // "stress run" -> { options: Set, where: [] }
for (const file of files) {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/\.\/solvent((?: [^`|#\n]*)?)/g)) {
      const words = m[1].trim().split(/\s+/).filter(Boolean);
      const command = [];
      for (const w of words) {
        if (!/^[a-z][a-z0-9]*$/.test(w)) break; // first argument, option or placeholder ends the command
        command.push(w);
      }
      // A bare lower-case word after the command is an argument only for commands that take one.
      const key = command.join(' ');
      const entry = found.get(key) || { options: new Set(), where: [] };
      for (const w of words) {
        const o = /^(--[a-z][a-z0-9-]*)/.exec(w);
        if (o) entry.options.add(o[1]);
      }
      entry.where.push(`${file}:${i + 1}`);
      found.set(key, entry);
    }
  });
}

let failed = 0;
const solvent = path.join(root, 'solvent');
for (const [key, { options, where }] of found) {
  // Trailing words that are not subcommands (e.g. `replay ./data` is caught above; `bench node` is one).
  let words = key ? key.split(' ') : [];
  let help = null;
  while (help === null) {
    try {
      help = execFileSync(solvent, [...words, '--help'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    } catch (e) {
      if (words.length === 0) break;
      words = words.slice(0, -1); // the last word was an argument, not a subcommand
    }
  }
  if (help === null) {
    console.log(`FAIL  ./solvent ${key} --help fails (${where[0]})`);
    failed++;
    continue;
  }
  const missing = [...options].filter(o => o !== '--help' && !help.includes(o));
  if (missing.length) {
    console.log(`FAIL  ./solvent ${words.join(' ')}: ${missing.join(', ')} not in its --help (${where.join(', ')})`);
    failed++;
  }
}
console.log(`${failed ? 'FAIL' : 'ok  '}  ${found.size} documented commands checked against --help`);
process.exit(failed ? 1 : 0);
