import { request } from 'node:http';

export interface CartItem {
  sku: string;
  qty: number;
}

export class PaymentDeclinedError extends Error {
  override name = 'PaymentDeclinedError';
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/** Asks the payment provider (a route of this same demo server) for a charge; it always declines. */
function postCharge(providerUrl: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(providerUrl, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function chargeCard(providerUrl: string, items: CartItem[]): Promise<void> {
  const amount = items.reduce((sum, item) => sum + 1899 * item.qty, 0);
  const { status, text } = await postCharge(providerUrl, JSON.stringify({ amount, currency: 'EUR' }));
  if (status !== 200) throw new PaymentDeclinedError(`card declined for ${amount} cents: ${text}`, status);
}
