// Shows that vault-e2e.js can fail: compiles deliberately broken variants of contracts/Vault.sol (each removes one
// guarantee), runs the suite against each, and requires every variant to be caught. Takes a few minutes; not part
// of the default run.  node tests/conformance/vault-mutants.js
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { compile, text } = require('../../contracts/build.js');

const SOURCE = 'contracts/Vault.sol';
const original = fs.readFileSync(path.join(__dirname, '..', '..', SOURCE), 'utf8');
const MUTANTS = [
  ['claim does not mark the id paid', '_claimedBitmap[word] = bits | bit;', ''],
  ['claim without the reentrancy guard', 'bytes32[] calldata proof) external nonReentrant {\n        if (r.chainId', 'bytes32[] calldata proof) external {\n        if (r.chainId'],
  ['claim bitmap words overlap', 'uint256 word = r.id >> 8;', 'uint256 word = r.id >> 9;'],
  ['claim ignores the record chain', 'if (r.chainId != block.chainid) revert WrongChain(r.chainId);', ''],
  ['claim folds left/right swapped', '(index >> i) & 1 == 0', '(index >> i) & 1 == 1'],
  ['duplicate signers accepted', 'if (signer == previous) revert DuplicateSigner(i, signer);', ''],
  ['unsorted signers accepted', 'if (signer < previous) revert SignersNotAscending(i, signer);', ''],
  ['non-validators counted', 'if (!isValidator[signer]) revert NotValidator(i, signer);', ''],
  ['stale heights accepted', 'if (hasRoot && a.height <= lastHeight)', 'if (hasRoot && a.height < lastHeight)'],
  ['forced root not checked', 'if (computed != a.forcedRoot)', 'if (computed != a.forcedRoot && false)'],
  ['processed count may decrease', 'if (processed < processedForcedCount) revert', 'if (false) revert'],
  ['freeze ignores the processed count', 'if (requestId < processedForcedCount) revert', 'if (false) revert'],
  ['freeze before the deadline', 'if (block.timestamp <= freezableAfter)', 'if (block.timestamp < freezableAfter - forcedDeadline)'],
  ['deposit while frozen', 'function deposit(address token, uint256 amount, uint32 subaccount) external nonReentrant {\n        if (frozen) revert VaultFrozen();', 'function deposit(address token, uint256 amount, uint32 subaccount) external nonReentrant {'],
  ['deposit trusts the amount (fee-on-transfer)', 'if (received != amount) revert', 'if (received > amount) revert'],
  ['exit does not mark the owner', 'hasExited[leaf.owner][leaf.token] = true;', ''],
  ['exit before a freeze', 'if (!frozen) revert NotFrozen();', ''],
  ['exit pays the caller', 'IERC20(leaf.token).safeTransfer(leaf.owner, leaf.amount);', 'IERC20(leaf.token).safeTransfer(msg.sender, leaf.amount);'],
];

let survived = 0;
for (const [name, from, to] of MUTANTS) {
  if (!original.includes(from)) { console.log(`FAIL  mutant "${name}": pattern not found in ${SOURCE}`); survived++; continue; }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-mutant-'));
  try {
    const artifacts = compile({ [SOURCE]: original.replace(from, to) });
    for (const [n, a] of Object.entries(artifacts)) fs.writeFileSync(path.join(dir, `${n}.json`), text(a));
    const r = spawnSync(process.execPath, [path.join(__dirname, 'vault-e2e.js')], { env: { ...process.env, VAULT_ARTIFACTS: dir }, encoding: 'utf8', timeout: 120000 });
    const caught = r.status !== 0;
    if (!caught) survived++;
    const first = (r.stdout.split('\n').find(l => l.startsWith('FAIL')) || '').slice(0, 140);
    console.log(`${caught ? 'ok  ' : 'FAIL'}  mutant "${name}" ${caught ? 'caught' : 'SURVIVED'}${first ? ' — ' + first : ''}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`${MUTANTS.length - survived} passed, ${survived} failed`);
process.exit(survived ? 1 : 0);
