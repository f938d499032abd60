// Solvent's settlement hashing written straight from the interface (docs/settlement.md), independent of the C#
// side and of the vault: withdrawal leaves and the depth-32 append-only tree, exit leaves and the sorted padded
// exit tree, the forced-count root and the Attestation EIP-712 digest. The vectors in vectors/settlement.json and
// the vault's own checks (vault-e2e.js) are both derived from these functions.
'use strict';
const { AbiCoder, keccak256, concat, ZeroHash, TypedDataEncoder, getAddress, toBeHex } = require('ethers');

const abi = AbiCoder.defaultAbiCoder();
const DEPTH = 32;
const hashPair = (a, b) => keccak256(concat([a, b]));

/** zero[i]: root of an all-empty subtree of height i (zero[0] = bytes32(0)). */
const ZERO = [ZeroHash];
for (let i = 0; i < DEPTH; i++) ZERO.push(hashPair(ZERO[i], ZERO[i]));

/** keccak256(abi.encode(id, recipient, chainId, token, amount)). */
function withdrawalLeaf(r) {
  return keccak256(abi.encode(['uint64', 'address', 'uint256', 'address', 'uint256'], [r.id, r.recipient, r.chainId, r.token, r.amount]));
}

/** Every level of the depth-32 tree over `leaves` (index = position), storing only non-empty nodes. */
function withdrawalLevels(leaves) {
  const levels = [leaves.slice()];
  for (let h = 0; h < DEPTH; h++) {
    const below = levels[h];
    const above = [];
    for (let i = 0; i < below.length; i += 2) above.push(hashPair(below[i], i + 1 < below.length ? below[i + 1] : ZERO[h]));
    levels.push(above);
  }
  return levels;
}

/** withdrawalsRoot of the records' leaves in id order (empty tree: zero[32]). */
function withdrawalRoot(leaves) {
  return leaves.length === 0 ? ZERO[DEPTH] : withdrawalLevels(leaves)[DEPTH][0];
}

/** The 32 siblings (bottom-up) of leaf `index`. */
function withdrawalProof(leaves, index) {
  if (index < 0 || index >= leaves.length) throw new Error(`no leaf ${index}`);
  const levels = withdrawalLevels(leaves);
  const proof = [];
  for (let h = 0, i = index; h < DEPTH; h++, i >>= 1) {
    const s = i ^ 1;
    proof.push(s < levels[h].length ? levels[h][s] : ZERO[h]);
  }
  return proof;
}

/** keccak256(abi.encode(owner, chainId, token, amount)). */
function exitLeafHash(l) {
  return keccak256(abi.encode(['address', 'uint256', 'address', 'uint256'], [l.owner, l.chainId, l.token, l.amount]));
}

/** Sort key: (owner, chainId, token) as unsigned big-endian numbers. */
function compareExit(a, b) {
  for (const [x, y] of [[BigInt(a.owner), BigInt(b.owner)], [BigInt(a.chainId), BigInt(b.chainId)], [BigInt(a.token), BigInt(b.token)]]) {
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The exit tree over `leaves` (any order): drops amount 0, sorts, pads with bytes32(0) to a power of two.
 * Returns { root, sorted, proof(i) } where sorted[i] is at position i; empty set → root bytes32(0).
 */
function exitTree(leaves) {
  const sorted = leaves.filter(l => BigInt(l.amount) > 0n).slice().sort(compareExit);
  for (let i = 1; i < sorted.length; i++) {
    if (compareExit(sorted[i - 1], sorted[i]) === 0) throw new Error(`duplicate exit leaf for ${sorted[i].owner}/${sorted[i].chainId}/${sorted[i].token}`);
  }
  if (sorted.length === 0) return { root: ZeroHash, sorted, proof: () => { throw new Error('empty exit tree'); } };
  let width = 1;
  while (width < sorted.length) width *= 2;
  const levels = [sorted.map(exitLeafHash).concat(Array(width - sorted.length).fill(ZeroHash))];
  while (levels[levels.length - 1].length > 1) {
    const below = levels[levels.length - 1];
    const above = [];
    for (let i = 0; i < below.length; i += 2) above.push(hashPair(below[i], below[i + 1]));
    levels.push(above);
  }
  const proof = (index) => {
    if (index < 0 || index >= sorted.length) throw new Error(`no exit leaf ${index}`);
    const out = [];
    for (let h = 0, i = index; h < levels.length - 1; h++, i >>= 1) out.push(levels[h][i ^ 1]);
    return out;
  };
  return { root: levels[levels.length - 1][0], sorted, proof };
}

/** keccak256(abi.encode(uint256[] chainIds, uint64[] processedCounts)); chainIds must be strictly ascending. */
function forcedRoot(chainIds, counts) {
  if (chainIds.length !== counts.length) throw new Error('chainIds and counts differ in length');
  for (let i = 1; i < chainIds.length; i++) if (BigInt(chainIds[i]) <= BigInt(chainIds[i - 1])) throw new Error('chainIds not strictly ascending');
  return keccak256(abi.encode(['uint256[]', 'uint64[]'], [chainIds, counts]));
}

const VERIFYING_CONTRACT = getAddress('0x00000000000000000000000000536f6c76656e74');
const ATTESTATION_TYPES = {
  Attestation: [
    { name: 'height', type: 'uint64' },
    { name: 'stateRoot', type: 'bytes32' },
    { name: 'withdrawalsRoot', type: 'bytes32' },
    { name: 'exitRoot', type: 'bytes32' },
    { name: 'forcedRoot', type: 'bytes32' },
  ],
};

/** Solvent's EIP-712 domain for its chain id (the same domain its signed actions use). */
function solventDomain(solventChainId) {
  return { name: 'Solvent', version: '1', chainId: solventChainId, verifyingContract: VERIFYING_CONTRACT };
}

const domainSeparator = (solventChainId) => TypedDataEncoder.hashDomain(solventDomain(solventChainId));
const attestationDigest = (solventChainId, a) => TypedDataEncoder.hash(solventDomain(solventChainId), ATTESTATION_TYPES, a);

/** 65-byte r‖s‖v (v 27/28, low s) signature of the attestation by an ethers Wallet. */
function signAttestation(wallet, solventChainId, a) {
  return wallet.signingKey.sign(attestationDigest(solventChainId, a)).serialized;
}

module.exports = {
  DEPTH, ZERO, withdrawalLeaf, withdrawalRoot, withdrawalProof, exitLeafHash, compareExit, exitTree, forcedRoot,
  ATTESTATION_TYPES, VERIFYING_CONTRACT, solventDomain, domainSeparator, attestationDigest, signAttestation, toBeHex,
};
