// Comments on a task (docs/API.md "Boards and tasks").

import { request } from './client';
import type { Comment } from './types';

/** Oldest first; client users never receive internal ones. */
export function listComments(taskId: number, signal?: AbortSignal): Promise<Comment[]> {
  return request<Comment[]>(`/api/tasks/${taskId}/comments`, { signal });
}

export interface NewComment {
  body: string;
  /** Staff only. */
  internal?: boolean;
  /** User IDs named with @; they must be able to read the comment. */
  mentions?: number[];
  /** The author's uploads for this comment (to=comment). */
  attachments?: number[];
}

export function addComment(taskId: number, comment: NewComment): Promise<Comment> {
  return request<Comment>(`/api/tasks/${taskId}/comments`, { method: 'POST', body: comment, idempotent: true });
}

/** Only the author may edit. */
export function editComment(id: number, body: string): Promise<Comment> {
  return request<Comment>(`/api/comments/${id}`, { method: 'PATCH', body: { body } });
}

/** The author, or a manager or admin. */
export function deleteComment(id: number): Promise<void> {
  return request<void>(`/api/comments/${id}`, { method: 'DELETE' });
}
