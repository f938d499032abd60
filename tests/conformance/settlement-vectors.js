// Golden vectors for the settlement hashing (vectors/settlement.json), computed by settlement-trees.js, for the
// C# side to test against.  node settlement-vectors.js          rewrite the file
//                            node settlement-vectors.js --check  fail (exit 1) if the committed file differs
'use strict';
const fs = require('fs');
const path = require('path');
const { Wallet, keccak256, toUtf8Bytes, TypedDataEncoder, id: hashText } = require('ethers');
const t = require('./settlement-trees');

const FILE = path.join(__dirname, 'vectors', 'settlement.json');

// A published vector of the same tree shape (keccak256, depth 32, zero leaves, 32 siblings bottom-up): Hyperlane's
// merkle test case "Actual Message Id leaves test" (leaves given as hashes).
const HYPERLANE = {
  source: 'Hyperlane merkle test cases, "Actual Message Id leaves test" (leaf hashes inserted directly)',
  leaves: [
    '0xff52e7852bdfc1471d248d6b127efe3859169ce04d129c4782cca68f1578977d',
    '0x8328ce8e2d3532720ea1d2fec91de5f5541ba1e64c44d4a3dc21d9beff20ea58',
    '0x05020eb4f4573ee8af05b50f4b87bf48b448c02fe9842eeae9975b5027b5ab30',
  ],
  root: '0x226a9ffecc5a45806a149c224681b5b987eaea6c7fafcd52bb53d246b46fd633',
  index2Proof0: '0x0000000000000000000000000000000000000000000000000000000000000000',
  index2Proof1: '0x61b43cdc7d79b905a2eae731184f685251d99f55523396ab534dc35e3a861319',
};
// The empty depth-32 keccak tree's root as published by the same family of contracts (Nomad, Polygon zkEVM bridge).
const PUBLISHED_EMPTY_ROOT = '0x27ae5ba08d7291c96c8cbddcc148bf48a6d68c7974b94356f53754ef6171d757';

const A = (n) => '0x' + n.toString(16).padStart(40, '0');

function build() {
  const records = [
    { id: 0, recipient: A(0xa11ce), chainId: 31337, token: A(0x7001), amount: '1000000' },
    { id: 1, recipient: A(0xb0b), chainId: 31338, token: A(0x7002), amount: '250000000000000000' },
    { id: 2, recipient: A(0xa11ce), chainId: 31337, token: A(0x7001), amount: '1' },
    { id: 3, recipient: '0xffffffffffffffffffffffffffffffffffffffff', chainId: 1, token: A(0x7003), amount: (2n ** 255n + 7n).toString() },
    { id: 4, recipient: A(0xca201), chainId: 31337, token: A(0x7002), amount: '123456789' },
  ];
  const leaves = records.map(t.withdrawalLeaf);
  const withdrawals = {
    leaf: 'keccak256(abi.encode(uint64 id, address recipient, uint256 chainId, address token, uint256 amount))',
    zeroHashes: t.ZERO,
    emptyRoot: t.withdrawalRoot([]),
    records: records.map((r, i) => ({ ...r, leaf: leaves[i] })),
    rootAfterEachAppend: leaves.map((_, i) => t.withdrawalRoot(leaves.slice(0, i + 1))),
    root: t.withdrawalRoot(leaves),
    proofs: records.map((r, i) => ({ id: r.id, siblings: t.withdrawalProof(leaves, i) })),
  };

  const exitInput = [
    { owner: A(0xca201), chainId: 31337, token: A(0x7001), amount: '5' },
    { owner: A(0xa11ce), chainId: 31338, token: A(0x7001), amount: '700' },
    { owner: A(0xa11ce), chainId: 31337, token: A(0x7002), amount: '300' },
    { owner: A(0xb0b), chainId: 31337, token: A(0x7001), amount: '0' },
    { owner: A(0xa11ce), chainId: 31337, token: A(0x7001), amount: '1000000' },
    { owner: A(0xb0b), chainId: 31337, token: A(0x7002), amount: (2n ** 128n).toString() },
  ];
  const tree = t.exitTree(exitInput);
  const single = { owner: A(0xa11ce), chainId: 31337, token: A(0x7001), amount: '42' };
  const exits = {
    leaf: 'keccak256(abi.encode(address owner, uint256 chainId, address token, uint256 amount))',
    order: 'amount > 0 only; sorted by (owner, chainId, token) ascending as unsigned big-endian; padded with bytes32(0) to a power of two',
    input: exitInput,
    root: tree.root,
    sorted: tree.sorted.map((l, i) => ({ index: i, ...l, leaf: t.exitLeafHash(l), proof: tree.proof(i) })),
    single: { ...single, leaf: t.exitLeafHash(single), root: t.exitTree([single]).root, proof: [] },
    emptyRoot: t.exitTree([]).root,
  };

  const forced = [
    { chainIds: [], counts: [], forcedRoot: t.forcedRoot([], []) },
    { chainIds: [31337, 31338], counts: [3, 0], forcedRoot: t.forcedRoot([31337, 31338], [3, 0]) },
  ];

  const key = keccak256(toUtf8Bytes('solvent/settlement/vector-validator/0'));
  const wallet = new Wallet(key);
  const solventChainId = 7;
  const message = {
    height: 20,
    stateRoot: hashText('state'),
    withdrawalsRoot: withdrawals.root,
    exitRoot: exits.root,
    forcedRoot: forced[1].forcedRoot,
  };
  const attestation = {
    encodedType: 'Attestation(uint64 height,bytes32 stateRoot,bytes32 withdrawalsRoot,bytes32 exitRoot,bytes32 forcedRoot)',
    typeHash: hashText('Attestation(uint64 height,bytes32 stateRoot,bytes32 withdrawalsRoot,bytes32 exitRoot,bytes32 forcedRoot)'),
    domain: t.solventDomain(solventChainId),
    domainSeparator: t.domainSeparator(solventChainId),
    message,
    structHash: TypedDataEncoder.from(t.ATTESTATION_TYPES).hash(message),
    digest: t.attestationDigest(solventChainId, message),
    signerPrivateKey: key,
    signer: wallet.address,
    signature: t.signAttestation(wallet, solventChainId, message),
  };
  return {
    description: 'Solvent settlement hashing vectors (docs/settlement.md); generated by tests/conformance/settlement-vectors.js from settlement-trees.js',
    published: { emptyRoot: PUBLISHED_EMPTY_ROOT, hyperlane: HYPERLANE },
    withdrawals, exits, forced, attestation,
  };
}

/** Checks the JS trees against the published vectors; returns a list of failures. */
function checkPublished() {
  const bad = [];
  if (t.ZERO[32] !== PUBLISHED_EMPTY_ROOT) bad.push(`empty root ${t.ZERO[32]} != published ${PUBLISHED_EMPTY_ROOT}`);
  const r = t.withdrawalRoot(HYPERLANE.leaves);
  if (r !== HYPERLANE.root) bad.push(`hyperlane root ${r} != ${HYPERLANE.root}`);
  const p = t.withdrawalProof(HYPERLANE.leaves, 2);
  if (p[0] !== HYPERLANE.index2Proof0 || p[1] !== HYPERLANE.index2Proof1) bad.push('hyperlane proof of leaf 2 differs');
  return bad;
}

const text = () => JSON.stringify(build(), null, 2) + '\n';

if (require.main === module) {
  const bad = checkPublished();
  if (bad.length) { console.log(bad.join('\n')); process.exit(1); }
  if (process.argv.includes('--check')) {
    if (!fs.existsSync(FILE) || fs.readFileSync(FILE, 'utf8') !== text()) { console.log('stale vectors/settlement.json (run: node settlement-vectors.js)'); process.exit(1); }
    console.log('ok    vectors/settlement.json matches settlement-trees.js');
  } else {
    fs.writeFileSync(FILE, text());
    console.log(`wrote ${path.relative(process.cwd(), FILE)}`);
  }
}
module.exports = { build, text, checkPublished, FILE };
