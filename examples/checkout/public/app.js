/* global document, window, console, history, fetch, Faultline */
// The page's own code: nothing here knows about tracing except the one captureException call.
const cart = [];
const status = document.getElementById('status');

document.getElementById('add').addEventListener('click', () => {
  cart.push({ sku: 'espresso-1kg', qty: 1 });
  document.getElementById('count').textContent = String(cart.length);
  console.log(`added espresso-1kg, cart has ${cart.length} item(s)`);
});

document.getElementById('checkout').addEventListener('click', async () => {
  history.pushState({}, '', '/checkout');
  status.dataset.state = 'pending';
  status.textContent = 'Paying…';
  const res = await fetch('/api/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: window.CHECKOUT_CONFIG.user, items: cart }),
  });
  if (res.ok) {
    status.dataset.state = 'done';
    status.textContent = 'Thank you for your order!';
    return;
  }
  // Reported right after the response arrives, so the bridge files it under the click's trace.
  const err = new Error(`Checkout failed: HTTP ${res.status}`);
  err.name = 'CheckoutError';
  Faultline.captureException(err, { tags: { 'http.route': '/checkout' } });
  const body = await res.json();
  status.dataset.state = 'error';
  status.dataset.traceId = body.traceId ?? '';
  status.textContent = `Payment failed: ${body.error}`;
});
