// A card's quote (docs/API.md "Quotes"): a manager sends estimated hours,
// the client accepts or declines, a manager may start without acceptance.

import { request } from './client';
import type { QuoteMoney } from './schema';
import type { Card } from './types';

export type QuoteStep = 'quote' | 'quote/accept' | 'quote/decline' | 'quote/override';

export interface QuoteInput {
  version: number;
  quote_minutes?: number;
  comment?: string;
  reason?: string;
}

export function quoteStep(id: number, step: QuoteStep, input: QuoteInput): Promise<Card> {
  return request<Card>(`/api/tasks/${id}/${step}`, { method: 'POST', body: input, idempotent: true });
}

/** The amount frozen when the quote was sent; absent without a rate or for a reader who may not see money. */
export function quoteAmount(id: number): Promise<QuoteMoney> {
  return request<QuoteMoney>(`/api/tasks/${id}/quote/amount`);
}
