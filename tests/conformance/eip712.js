'use strict';
// EIP-712 signed actions. The domain and types come from `solvent eip712` itself, so the two
// sides cannot drift. For every action type, random keys and random in-range messages (edges biased:
// 0, max, ±2^53, int64 extremes): ethers (Wallet.signTypedData, TypedDataEncoder.hash) and viem
// (signTypedData, hashTypedData) sign and hash; Solvent's batch verifier must recover the wallet's
// address with the same digest (exact), Solvent's own RFC 6979 signature must equal both wallets'
// byte for byte, and the same signature over a message with one field changed must recover someone
// else or be refused. Tolerance: none — these are hashes and signatures.
module.exports = async function eip712Check({ cases, int, seed, report, run }) {
  const { Wallet, TypedDataEncoder } = require('ethers');
  const { hashTypedData } = require('viem');
  const { privateKeyToAccount } = require('viem/accounts');
  const chainId = int(1, 2147483647);
  const schema = JSON.parse(run(['eip712', '--chain-id', String(chainId)]));
  const names = schema.primaryTypes;
  const hex = n => Array.from({ length: n }, () => int(0, 255).toString(16).padStart(2, '0')).join('');
  const big = bits => BigInt('0x' + hex(bits / 8));
  const pick = list => list[int(0, list.length - 1)];
  const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const randomKey = () => { for (;;) { const k = big(256); if (k > 0n && k < N) return '0x' + k.toString(16).padStart(64, '0'); } };
  // Values in Solvent's ranges: unsigned fields are capped by the schema's `limits` (ids ≤ 2^31 − 1, margin
  // mode ≤ 1, oracle uint64s ≤ 2^63 − 1), else by their Solidity type.
  const below = max => { for (;;) { const v = big(Math.ceil(max.toString(2).length / 8) * 8); if (v <= max) return v; } };
  const value = (typeName, f) => {
    const cap = schema.limits[typeName] && schema.limits[typeName][f.name];
    switch (f.type) {
      case 'address': return '0x' + hex(20);
      case 'bool': return int(0, 1) === 1;
      case 'int64': return pick([0n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 53n) - 1n, big(64) - 2n ** 63n, BigInt(int(-1000, 1000))]);
      default: {
        const bits = Number(f.type.slice(4));
        if (!f.type.startsWith('uint') || !(bits > 0)) throw new Error('no generator for ' + f.type);
        const max = cap ? BigInt(cap) : 2n ** BigInt(bits) - 1n;
        const min = (a, b) => (a < b ? a : b);
        return pick([0n, max, min(max, 2n ** 53n), min(max, 2n ** 53n + 1n), below(max), min(max, BigInt(int(0, 1000)))]);
      }
    }
  };
  // Wire JSON: integers up to 2^53 as numbers, larger ones as decimal strings.
  const wire = msg => Object.fromEntries(Object.entries(msg).map(([k, v]) =>
    [k, typeof v === 'bigint' ? (v <= 2n ** 53n && v >= -(2n ** 53n) ? Number(v) : v.toString()) : v]));

  const list = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < cases; i++) {
    const name = names[i % names.length];
    const fields = schema.types[name];
    const types = { [name]: fields };
    const message = Object.fromEntries(fields.map(f => [f.name, value(name, f)]));
    const key = randomKey();
    const wallet = new Wallet(key);
    const account = privateKeyToAccount(key);
    const ethersSig = await wallet.signTypedData(schema.domain, types, message);
    const viemSig = await account.signTypedData({ domain: schema.domain, types, primaryType: name, message });
    const ethersHash = TypedDataEncoder.hash(schema.domain, types, message);
    const viemHash = hashTypedData({ domain: schema.domain, types, primaryType: name, message });
    // Tamper: one field to another value of its type.
    const f = pick(fields);
    const tampered = { ...message };
    while (tampered[f.name] === message[f.name]) tampered[f.name] = value(name, f);
    list.push({ name, key, address: wallet.address.toLowerCase(), viemAddress: account.address.toLowerCase(), message, tampered, field: f.name, ethersSig, viemSig, ethersHash, viemHash });
  }
  const t1 = process.hrtime.bigint();
  const verify = [];
  for (const c of list) {
    verify.push({ type: c.name, message: wire(c.message), signature: c.ethersSig });
    verify.push({ type: c.name, message: wire(c.message), signature: c.viemSig });
    verify.push({ type: c.name, message: wire(c.tampered), signature: c.ethersSig });
  }
  const sign = list.map(c => ({ request: { type: c.name, message: wire(c.message) }, privateKey: c.key }));
  const t2 = process.hrtime.bigint();
  const ours = JSON.parse(run(['conform'], JSON.stringify({ eip712: { chainId, verify, sign } }))).eip712;
  const t3 = process.hrtime.bigint();
  let bad = null;
  const show = c => `${c.name} key ${c.key} message ${JSON.stringify(wire(c.message))}`;
  list.forEach((c, i) => {
    if (bad) return;
    const [e, v, t] = ours.verify.slice(3 * i, 3 * i + 3);
    const s = ours.sign[i];
    if (c.address !== c.viemAddress) bad = `ethers address ${c.address} != viem ${c.viemAddress}`;
    else if (c.ethersHash !== c.viemHash) bad = `ethers digest ${c.ethersHash} != viem ${c.viemHash}`;
    else if (!e.ok || e.signer !== c.address || e.digest !== c.ethersHash) bad = `ethers signature: solvent ${JSON.stringify(e)} expected ${c.address} ${c.ethersHash}`;
    else if (!v.ok || v.signer !== c.address || v.digest !== c.viemHash) bad = `viem signature: solvent ${JSON.stringify(v)} expected ${c.address} ${c.viemHash}`;
    else if (s.digest !== c.ethersHash || s.signature !== c.ethersSig.toLowerCase() || s.signature !== c.viemSig.toLowerCase()) bad = `solvent signed ${JSON.stringify(s)}, ethers ${c.ethersSig}, viem ${c.viemSig}`;
    else if (t.ok && t.signer === c.address) bad = `tampered field '${c.field}' still recovers the signer: ${JSON.stringify(t)}`;
    if (bad) bad = `seed ${seed} case ${i} ${show(c)}: ${bad}`;
  });
  const tamperedRefused = list.filter((c, i) => !ours.verify[3 * i + 2].ok).length;
  report(`ethers@6 + viem EIP-712 [${ours.backends}], ${list.length} cases over ${names.length} action types (chain ${chainId}): same digest, Solvent recovers both wallets' signer, Solvent's signature byte-identical, ${list.length} tampered messages rejected (${tamperedRefused} refused, ${list.length - tamperedRefused} recover another address)`, !bad, bad);
  console.log(`      timing: ethers+viem ${(Number(t1 - t0) / 1e6).toFixed(1)} ms in-process for ${list.length} x (2 signatures + 2 hashes); solvent ${(Number(t3 - t2) / 1e6).toFixed(1)} ms for ${verify.length} recoveries + ${sign.length} signatures including process start`);
};
