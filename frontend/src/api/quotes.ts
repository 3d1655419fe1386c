// A card's quote (docs/API.md "Quotes"): a manager sends estimated hours,
// the client accepts or declines, a manager may start without acceptance.

import { request } from './client';
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
