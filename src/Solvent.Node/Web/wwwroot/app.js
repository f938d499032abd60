// The Solvent web app. Every figure comes from the node: the venue and accounts from its read API, the
// what-if from the engine behind /v1/whatif, form checks from /v1/web/check (the API's own messages).
// JavaScript only fetches, renders and asks an injected wallet (EIP-1193) for a signature.
const $ = id => document.getElementById(id);
const state = { assets: [], markets: [], owner: '', sub: 0, devKeys: [], wallet: null };

async function api(path, init) {
  const r = await fetch(path, init);
  const body = await r.json();
  return { ok: r.ok, status: r.status, body };
}
const post = (path, obj) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(obj) });
const v = a => (a == null ? '—' : a.value);
const pct = a => (a == null ? '—' : (Number(a.value) * 100).toFixed(2) + '%');
function rows(tbody, list, cells) {
  tbody.replaceChildren(...list.map(x => {
    const tr = document.createElement('tr');
    for (const c of cells(x)) { const td = document.createElement('td'); td.textContent = c; tr.append(td); }
    return tr;
  }));
}

async function loadVenue() {
  const [a, m] = await Promise.all([api('/v1/assets'), api('/v1/markets')]);
  if (a.ok) state.assets = a.body;
  if (m.ok) state.markets = m.body;
  rows($('pools').tBodies[0], state.assets, x => [x.symbol, v(x.price), v(x.totalSupply), v(x.totalDebt), v(x.cash), pct(x.utilization), pct(x.borrowRate), pct(x.supplyRate), v(x.insurance), v(x.badDebt)]);
  rows($('markets').tBodies[0], state.markets, x => [x.symbol, v(x.indexPrice), v(x.markPrice), pct(x.lastFundingRate), v(x.openInterest), v(x.insurance)]);
  await loadBooks();
  for (const sel of [$('act-market'), $('wi-market')]) {
    if (sel.options.length === 0) sel.replaceChildren(...state.markets.map(x => new Option(x.symbol, x.symbol)));
  }
  for (const sel of [$('act-asset'), $('wi-asset'), $('rc-asset')]) {
    if (sel.options.length === 0) sel.replaceChildren(...state.assets.map(x => new Option(x.symbol, x.symbol)));
  }
}

// Each market's top levels from GET /v1/markets/{m}/book.
const level = l => `${l.price} × ${l.size} (${l.orders})`;
async function loadBooks() {
  const books = await Promise.all(state.markets.map(m => api(`/v1/markets/${encodeURIComponent(m.symbol)}/book?depth=5`)));
  const list = books.filter(b => b.ok).map(b => b.body);
  rows($('books').tBodies[0], list, b => [b.symbol, b.bids.map(level).join(', ') || '—', b.asks.map(level).join(', ') || '—']);
}

// The subaccount's resting orders, each with a cancel button signed like the other forms.
async function loadOrders() {
  const r = await api(`/v1/accounts/${state.owner}/${state.sub}/orders`);
  const list = r.ok ? r.body.orders : [];
  $('orders').tBodies[0].replaceChildren(...list.map(o => {
    const tr = document.createElement('tr');
    tr.dataset.orderId = o.id;
    for (const c of [String(o.id), o.symbol, o.side, o.price, o.size, o.type, o.timeInForce]) tr.append(Object.assign(document.createElement('td'), { textContent: c }));
    const b = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Cancel', className: 'cancel-order' });
    b.onclick = () => submitForm({ type: 'CancelOrder', subaccount: state.sub, market: o.symbol, orderId: String(o.id) });
    const td = document.createElement('td');
    td.append(b);
    tr.append(td);
    return tr;
  }));
}

function showAccount(target, acct) {
  $('summary').replaceChildren(...[
    ['Equity', v(acct.equity)], ['Collateral', v(acct.collateralValue)], ['Debt', v(acct.debtValue)],
    ['Free collateral', v(acct.freeCollateral)], ['Maintenance health', v(acct.maintenanceHealth)],
    ['Health factor', acct.healthFactor == null ? '∞' : v(acct.healthFactor)],
  ].map(([k, x]) => Object.assign(document.createElement('span'), { textContent: `${k}: ${x}` })));
  const flag = document.createElement('span');
  flag.id = target === 'live' ? 'acct-status' : 'wi-status';
  flag.className = acct.liquidatable ? 'liquidatable' : 'ok';
  flag.textContent = acct.liquidatable ? 'LIQUIDATABLE' : 'healthy';
  return flag;
}

async function loadAccount() {
  if (!state.owner) return;
  const r = await api(`/v1/accounts/${state.owner}/${state.sub}`);
  $('acct-error').textContent = r.ok ? '' : r.body.error.message;
  if (!r.ok) { $('summary').replaceChildren(); return; }
  const acct = r.body.account;
  const flag = showAccount('live', acct);
  $('summary').append(flag);
  rows($('balances').tBodies[0], acct.balances, b => [b.asset, v(b.balance), v(b.price), v(b.value), v(b.liquidationPrice)]);
  rows($('positions').tBodies[0], acct.positions, p => [p.market, v(p.size), v(p.entryPrice), v(p.liquidationPrice)]);
  await loadOrders();
  await whatIf();
  await whatIfPosition();
}

// The what-if asks the node's engine: a copy of the live state with one asset at the moved price.
let wiSeq = 0;
async function whatIf() {
  const move = Number($('wi-move').value);
  $('wi-label').textContent = `${move}%`;
  const asset = state.assets.find(a => a.symbol === $('wi-asset').value);
  if (!state.owner || !asset) return;
  const raw = BigInt(asset.price.raw) * BigInt(100 + move) / 100n;
  if (raw <= 0n) return;
  const price = (raw / 100000000n).toString() + '.' + (raw % 100000000n).toString().padStart(8, '0');
  const seq = ++wiSeq;
  const r = await api(`/v1/whatif/${state.owner}/${state.sub}?asset=${encodeURIComponent(asset.symbol)}&price=${price}`);
  if (seq !== wiSeq) return;
  const out = $('wi-result');
  if (!r.ok) { out.textContent = r.body.error.message; return; }
  const a = r.body.account;
  out.replaceChildren(`${asset.symbol} at ${price}: maintenance health ${v(a.maintenanceHealth)}, health factor ${a.healthFactor == null ? '∞' : v(a.healthFactor)}, liquidation prices ${a.balances.map(b => `${b.asset} ${v(b.liquidationPrice)}`).join(', ')} `);
  const flag = document.createElement('span');
  flag.id = 'wi-status';
  flag.className = a.liquidatable ? 'liquidatable' : 'ok';
  flag.textContent = a.liquidatable ? 'LIQUIDATABLE' : 'healthy';
  out.append(flag);
  out.dataset.move = String(move);
}

// Position what-if: the node places a market order to that size on a copy of the engine (fill, fees, margin).
let wpSeq = 0;
async function whatIfPosition() {
  const size = $('wi-size').value.trim();
  const out = $('wi-pos-result');
  if (!state.owner || !size) { out.replaceChildren(); return; }
  const seq = ++wpSeq;
  const r = await api(`/v1/whatif/${state.owner}/${state.sub}/position?market=${encodeURIComponent($('wi-market').value)}&size=${encodeURIComponent(size)}`);
  if (seq !== wpSeq) return;
  if (!r.ok) { out.className = 'error'; out.textContent = r.body.error.message; return; }
  if (r.body.refused) { out.className = 'error'; out.textContent = `the engine would refuse this order: ${r.body.refused.code}: ${r.body.refused.message}`; return; }
  const a = r.body.account;
  const p = a.positions.find(x => x.market === r.body.market);
  out.className = '';
  out.replaceChildren(`${r.body.market} at ${r.body.size.value}: entry ${p ? v(p.entryPrice) : '—'}, liquidation price ${p ? v(p.liquidationPrice) : '—'}, maintenance health ${v(a.maintenanceHealth)}, free collateral ${v(a.freeCollateral)} `);
  const flag = document.createElement('span');
  flag.id = 'wi-pos-status';
  flag.className = a.liquidatable ? 'liquidatable' : 'ok';
  flag.textContent = a.liquidatable ? 'LIQUIDATABLE' : 'healthy';
  out.append(flag);
}

// Typed data for an injected wallet, built from the node's own schema (/v1/eip712) and the checked form.
function typedMessage(c, owner, sub, nonce) {
  if (c.type === 'Transfer') return { fromOwner: owner, fromSubaccount: sub, toOwner: owner, toSubaccount: c.toSubaccount, asset: c.asset, amount: c.amount, nonce: String(nonce) };
  if (c.type === 'PlaceBookOrder') return { owner, subaccount: sub, market: c.market, buy: c.buy, price: c.price, size: c.size, orderType: c.orderType, timeInForce: 0, expiryBlock: '0', reduceOnly: false, nonce: String(nonce) };
  if (c.type === 'CancelOrder') return { owner, subaccount: sub, market: c.market, orderId: c.orderId, nonce: String(nonce) };
  if (c.type === 'PlaceOrder') return { owner, subaccount: sub, market: c.market, size: c.size, worstPrice: c.worstPrice, reduceOnly: c.reduceOnly, nonce: String(nonce) };
  return { owner, subaccount: sub, asset: c.asset, amount: c.amount, nonce: String(nonce) };
}
async function walletSign(checked) {
  const schema = (await api('/v1/eip712')).body;
  const nonce = (await api(`/v1/accounts/${state.wallet}`)).body.nextNonce ?? 0;
  const type = checked.type;
  const message = typedMessage(checked, state.wallet, state.sub, nonce);
  const typed = { domain: schema.domain, primaryType: type, types: { EIP712Domain: schema.types.EIP712Domain, [type]: schema.types[type] }, message };
  const signature = await window.ethereum.request({ method: 'eth_signTypedData_v4', params: [state.wallet, JSON.stringify(typed)] });
  return api('/v1/actions', {
    method: 'POST', headers: { 'content-type': 'application/json', 'X-Solvent-Signer': state.wallet },
    body: JSON.stringify({ type, message: { ...message, nonce: Number(nonce) }, signature }),
  });
}

// Which inputs a form type uses.
function formShape() {
  const t = $('act-type').value;
  const show = (cls, on) => document.querySelectorAll(cls).forEach(e => { e.hidden = !on; });
  show('.f-balance', !['PlaceOrder', 'ClosePosition', 'LimitOrder'].includes(t));
  show('.f-transfer', t === 'Transfer');
  show('.f-perp', ['PlaceOrder', 'ClosePosition', 'LimitOrder'].includes(t));
  show('.f-worst', ['PlaceOrder', 'ClosePosition'].includes(t));
  show('.f-order', ['PlaceOrder', 'LimitOrder'].includes(t));
  show('.f-limit', t === 'LimitOrder');
}
function formOf() {
  const t = $('act-type').value;
  const form = { type: t, subaccount: state.sub };
  if (t === 'LimitOrder') {
    Object.assign(form, { market: $('act-market').value, side: $('act-side').value, size: $('act-size').value.trim(), price: $('act-price').value.trim(), postOnly: $('act-post').checked });
  } else if (['PlaceOrder', 'ClosePosition'].includes(t)) {
    Object.assign(form, { market: $('act-market').value, worstPrice: $('act-worst').value.trim(), owner: state.owner });
    if (t === 'PlaceOrder') Object.assign(form, { side: $('act-side').value, size: $('act-size').value.trim(), reduceOnly: $('act-reduce').checked });
  } else {
    Object.assign(form, { asset: $('act-asset').value, amount: $('act-amount').value.trim() });
    if (t === 'Transfer') form.toSubaccount = Number($('act-to').value);
  }
  return form;
}
function describe(f) {
  if (f.type === 'LimitOrder') return `${f.side} ${f.size} ${f.market} at ${f.price}${f.postOnly ? ' (post only)' : ''}`;
  if (f.type === 'CancelOrder') return `cancel order ${f.orderId}`;
  if (f.type === 'PlaceOrder') return `${f.side} ${f.size} ${f.market}`;
  if (f.type === 'ClosePosition') return `close ${f.market}`;
  if (f.type === 'Transfer') return `Transfer ${f.amount} ${f.asset} to subaccount ${f.toSubaccount}`;
  return `${f.type} ${f.amount} ${f.asset}`;
}

function act(ev) {
  ev.preventDefault();
  return submitForm(formOf());
}
async function submitForm(form) {
  const out = $('act-result');
  // Refused before anything is signed, with the API's own code and message.
  const check = await post('/v1/web/check', form);
  if (!check.ok) { out.className = 'error'; out.textContent = `${check.body.error.code}: ${check.body.error.message}`; return; }
  const signer = $('act-signer').value;
  const r = signer === 'wallet' ? await walletSign(check.body) : await post('/v1/dev/act', { ...form, signer });
  out.className = r.ok ? 'ok' : 'error';
  out.textContent = r.ok ? `${describe(form)}: accepted at height ${r.body.height}` : `${r.body.error.code}: ${r.body.error.message}`;
}

async function loadRisk() {
  const r = await api('/v1/liquidatable');
  if (!r.ok) return;
  rows($('liq').tBodies[0], r.body.accounts, x => [x.owner, String(x.subaccount), '']);
  $('liq-height').textContent = `as of block ${r.body.height}`;
  $('liq-height').dataset.height = r.body.height;
}

// Charts are ScottPlot SVGs drawn by the node; they load after the first meaningful render and again on
// every block (the height in the URL makes each block's chart a new image).
function loadCharts() {
  if (!state.chartsOn) return;
  const h = $('height').dataset.height ?? '0';
  const set = (img, url) => { if (img.dataset.src !== url) { img.dataset.src = url; img.src = url; } };
  if (!$('venue').hidden) {
    const asset = $('rc-asset').value;
    if (asset) set($('chart-rate'), `/v1/web/charts/rate-curve/${encodeURIComponent(asset)}?h=${h}`);
    set($('chart-insurance'), `/v1/web/charts/insurance?h=${h}`);
  }
  if (!$('risk').hidden) set($('chart-heatmap'), `/v1/web/charts/liquidation-heatmap?h=${h}`);
}

const who = k => (k ? `${k.owner}/${k.subaccount}` : '');
function eventRow(x) {
  const e = x.event;
  return [String(x.height), e.type, who(e.target), who(e.type === 'AutoDeleveraged' ? e.account : e.liquidator), x.summary];
}
async function loadEvents() {
  const [l, a] = await Promise.all([api('/v1/web/events?kind=liquidation&limit=20'), api('/v1/web/events?kind=adl&limit=20')]);
  if (l.ok) rows($('liquidations').tBodies[0], l.body.events, eventRow);
  if (a.ok) rows($('adl').tBodies[0], a.body.events, eventRow);
}

async function loadOracles() {
  const r = await api('/v1/web/oracles');
  if (r.ok) {
    rows($('oracles').tBodies[0], r.body.feeds, f => [f.asset, f.source, f.status, v(f.price), f.aggregateTime ?? '—',
      f.quorum == null ? '—' : `${f.quorum} of ${f.publishers.length}`,
      f.publishers.map(p => `${p.address.slice(0, 10)}… ${p.price == null ? 'no report' : v(p.price)}`).join('; ') || '—']);
  }
  const c = await api('/v1/settlement/chains');
  $('settlement').textContent = c.ok ? `custody: ${c.body.custody}, as of block ${c.body.height}` : c.body.error.message;
  rows($('chains').tBodies[0], c.ok ? c.body.chains : [], x => [x.chainId, x.vault, String(x.confirmations), x.depositsCredited, x.forcedProcessed,
    x.tokens.map(t => `${t.asset} ${v(t.custody)}`).join(', ')]);
}

async function loadReports() {
  const r = await api('/v1/web/reports');
  const list = r.ok ? r.body : [];
  $('report-list').replaceChildren(...(list.length ? list.map(href => {
    const li = document.createElement('li');
    li.append(Object.assign(document.createElement('a'), { href, textContent: href.replace('/reports/', '') }));
    return li;
  }) : [Object.assign(document.createElement('li'), { textContent: 'no reports directory configured or no report in it' })]));
}

function route() {
  const page = (location.hash || '#venue').slice(1);
  for (const id of ['venue', 'account', 'risk', 'reports']) $(id).hidden = id !== page;
  return refresh();
}
async function refresh() {
  await loadVenue();
  if (!$('account').hidden) await loadAccount();
  if (!$('risk').hidden) await Promise.all([loadRisk(), loadEvents()]);
  if (!$('venue').hidden && state.chartsOn) await loadOracles();
  loadCharts();
  if (!$('reports').hidden && !$('report-list').children.length) await loadReports();
}

// The selected subaccount's events: its recent history from the node, then what the stream delivers.
// Stream messages that arrive while the history loads are held back and shown only if they are newer.
let subscribed = null;
const activity = { loading: false, top: 0, held: [] };
function subscribeAccount() {
  const ws = state.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN || !state.owner) return;
  const key = { owner: state.owner, subaccount: state.sub };
  if (subscribed && subscribed.owner === key.owner && subscribed.subaccount === key.subaccount) return;
  if (subscribed) ws.send(JSON.stringify({ unsubscribe: 'account', ...subscribed }));
  ws.send(JSON.stringify({ subscribe: 'account', ...key }));
  subscribed = key;
  $('activity').replaceChildren();
  loadHistory(key);
}
async function loadHistory(key) {
  activity.loading = true;
  activity.top = 0;
  activity.held = [];
  const r = await api(`/v1/accounts/${key.owner}/${key.subaccount}/history?limit=50`);
  if (subscribed !== key) return;
  const items = r.ok ? r.body.events.map(h => {
    const li = document.createElement('li');
    li.textContent = `block ${h.height}: ${h.event.type} — ${h.summary}`;
    li.className = 'history';
    return li;
  }) : [];
  $('activity').replaceChildren(...items);
  activity.top = r.ok && r.body.events.length ? r.body.events[0].height : 0;
  activity.loading = false;
  for (const m of activity.held) showEvents(m);
  activity.held = [];
}
function showEvents(m) {
  if (activity.loading) { activity.held.push(m); return; }
  if (m.height <= activity.top) return;
  for (const { event: e } of m.events) {
    const li = document.createElement('li');
    const amount = e.amount != null ? ` ${e.amount}` : '';
    const asset = e.asset != null ? ` asset ${e.asset}` : '';
    li.textContent = `block ${m.height}: ${e.type}${asset}${amount}`;
    $('activity').prepend(li);
  }
}

// Live: every block the node cuts triggers a re-read of what is on screen.
function stream() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/stream`);
  state.ws = ws;
  ws.onopen = () => { $('live').textContent = 'live'; $('live').className = 'on'; ws.send(JSON.stringify({ subscribe: 'blocks' })); subscribed = null; subscribeAccount(); };
  ws.onclose = () => { $('live').textContent = 'offline'; $('live').className = 'off'; setTimeout(stream, 1000); };
  let busy = false, again = false;
  ws.onmessage = async e => {
    const m = JSON.parse(e.data);
    if (m.type === 'events') { showEvents(m); return; }
    if (m.type !== 'block') return;
    $('height').textContent = `height ${m.header.height}`;
    $('height').dataset.height = m.header.height;
    if (busy) { again = true; return; }
    busy = true;
    try { do { again = false; await refresh(); } while (again); } finally { busy = false; }
  };
}

async function init() {
  const keys = await api('/v1/dev/keys');
  state.devKeys = keys.ok ? keys.body : [];
  $('act-signer').replaceChildren(...state.devKeys.map(k => new Option(`${k.name} (demo key)`, k.name)), new Option('injected wallet', 'wallet'));
  $('demo').replaceChildren(new Option('demo accounts…', ''), ...state.devKeys.map(k => new Option(k.name, k.address)));
  $('demo').onchange = () => { if ($('demo').value) { $('addr').value = $('demo').value; $('who').requestSubmit(); } };
  $('act-signer').onchange = () => {
    const k = state.devKeys.find(x => x.name === $('act-signer').value);
    if (k) { $('addr').value = k.address; $('who').requestSubmit(); }
  };
  $('connect').onclick = async () => {
    if (!window.ethereum) { $('acct-error').textContent = 'no injected wallet (EIP-1193) in this browser'; return; }
    [state.wallet] = await window.ethereum.request({ method: 'eth_requestAccounts' });
    $('addr').value = state.wallet;
    $('act-signer').value = 'wallet';
    $('who').requestSubmit();
  };
  $('who').onsubmit = e => { e.preventDefault(); state.owner = $('addr').value.trim().toLowerCase(); state.sub = Number($('sub').value) || 0; subscribeAccount(); loadAccount(); };
  $('act').onsubmit = act;
  $('act-type').onchange = formShape;
  $('wi-move').oninput = whatIf;
  $('wi-asset').onchange = whatIf;
  $('wi-size').oninput = whatIfPosition;
  $('wi-market').onchange = whatIfPosition;
  window.onhashchange = route;
  if (window.ethereum) {
    const accts = await window.ethereum.request({ method: 'eth_accounts' }).catch(() => []);
    if (accts.length) { state.wallet = accts[0]; $('addr').value = state.wallet; state.owner = state.wallet.toLowerCase(); }
  }
  await route();
  // The first meaningful render: the venue's tables filled from the node (read by the browser test).
  performance.mark('solvent-first-render');
  state.chartsOn = true;
  $('rc-asset').onchange = loadCharts;
  if (!$('venue').hidden) loadOracles();
  loadCharts();
  stream();
  document.body.dataset.ready = '1';
}
init();
