import { describe, expect, it, vi } from 'vitest';
import { Confirmation } from './confirm.svelte';

describe('Confirmation', () => {
  it('opens on a target and runs the action on the target asked about', async () => {
    const deleting = new Confirmation<{ id: number }>();
    const action = vi.fn(async (_: { id: number }) => {});
    const confirm = deleting.confirm(action);
    await confirm();
    expect(action).not.toHaveBeenCalled(); // nothing asked yet

    deleting.ask({ id: 4 });
    expect(deleting.open).toBe(true);
    await confirm();
    expect(action).toHaveBeenCalledWith({ id: 4 });
  });
});
