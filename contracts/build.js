// Compiles the vault contracts offline with the pinned solc (WebAssembly, from tests/conformance/node_modules)
// and writes one JSON artifact per contract to contracts/out/ (abi, bytecode, deployedBytecode, compiler).
//   node contracts/build.js           write the artifacts
//   node contracts/build.js --check   compile and fail if the committed artifacts differ (exit 1)
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const root = path.resolve(__dirname, '..');
const modules = path.join(root, 'tests', 'conformance', 'node_modules');
const requireConformance = createRequire(path.join(root, 'tests', 'conformance', 'package.json'));
const solc = requireConformance('solc');

const SOURCES = ['contracts/Vault.sol', 'contracts/TestToken.sol', 'contracts/test/FeeOnTransferToken.sol', 'contracts/test/MaliciousToken.sol'];
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  // No metadata trailer: the bytecode depends on the code only, so comments do not churn the artifacts.
  metadata: { appendCBOR: false },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

function compile() {
  const sources = {};
  for (const s of SOURCES) sources[s] = { content: fs.readFileSync(path.join(root, s), 'utf8') };
  const findImports = (p) => {
    const file = p.startsWith('@') ? path.join(modules, p) : path.join(root, p);
    try { return { contents: fs.readFileSync(file, 'utf8') }; } catch { return { error: `not found: ${p}` }; }
  };
  const out = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings: SETTINGS }), { import: findImports }));
  // Warnings fail the build like the C# side's warnings-as-errors.
  const problems = (out.errors || []).filter(e => e.severity !== 'info');
  for (const e of problems) process.stderr.write(e.formattedMessage + '\n');
  if (problems.length) throw new Error(`solc: ${problems.length} error(s) or warning(s)`);
  const artifacts = {};
  for (const s of SOURCES) {
    for (const [name, c] of Object.entries(out.contracts[s])) {
      artifacts[name] = {
        contractName: name,
        sourceName: s,
        compiler: { solc: solc.version(), settings: { optimizer: SETTINGS.optimizer, evmVersion: SETTINGS.evmVersion, metadata: SETTINGS.metadata } },
        abi: c.abi,
        bytecode: '0x' + c.evm.bytecode.object,
        deployedBytecode: '0x' + c.evm.deployedBytecode.object,
      };
    }
  }
  return artifacts;
}

function text(a) { return JSON.stringify(a, null, 2) + '\n'; }

function main() {
  const check = process.argv.includes('--check');
  const artifacts = compile();
  const dir = path.join(__dirname, 'out');
  if (check) {
    let stale = 0;
    for (const [name, a] of Object.entries(artifacts)) {
      const file = path.join(dir, `${name}.json`);
      const have = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
      if (have !== text(a)) { stale++; console.log(`stale contracts/out/${name}.json (run: node contracts/build.js)`); }
    }
    if (stale) process.exit(1);
    console.log(`ok    contracts/out matches a fresh compile (${Object.keys(artifacts).length} artifacts, solc ${solc.version()})`);
    return;
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, a] of Object.entries(artifacts)) fs.writeFileSync(path.join(dir, `${name}.json`), text(a));
  console.log(`wrote ${Object.keys(artifacts).map(n => `contracts/out/${n}.json`).join(', ')}`);
}

if (require.main === module) main();
module.exports = { compile };
