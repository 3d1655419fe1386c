// Files on cards and comments (docs/API.md "Attachments"). Uploads go
// through XMLHttpRequest, the one browser API that reports upload progress.

import { ApiError, NETWORK_ERROR_MESSAGE, parseError, request, requestBlob, withFreshToken } from './client';
import type { Attachment } from './types';

/** The files on the card itself (a comment's come with the comment). */
export function listAttachments(taskId: number, signal?: AbortSignal): Promise<Attachment[]> {
  return request<Attachment[]>(`/api/tasks/${taskId}/attachments`, { signal });
}

export function deleteAttachment(id: number): Promise<void> {
  return request<void>(`/api/attachments/${id}`, { method: 'DELETE' });
}

/** The file itself, or the small PNG of an image. */
export function attachmentBlob(id: number, thumbnail = false, signal?: AbortSignal): Promise<Blob> {
  return requestBlob(`/api/attachments/${id}${thumbnail ? '/thumbnail' : ''}`, signal);
}

/** Where an upload goes: onto the card, or held for the comment being
 * written (sent with it as `attachments`). */
export type UploadTarget = 'card' | 'comment';

/** Sends one file; `progress` gets the share sent, 0 to 1. */
export type Upload = (file: File, progress: (share: number) => void) => Promise<Attachment>;

/** Sends one file for a card or the comment being written on it. */
export function uploadAttachment(taskId: number, to: UploadTarget): Upload {
  return (file, progress) =>
    send(`/api/tasks/${taskId}/attachments?${new URLSearchParams({ to, name: file.name || 'file' })}`, file, progress);
}

/** Sends one file for the request a client is writing, before it has a
 * card (sent with the request as `attachments`). */
export const uploadRequestFile: Upload = (file, progress) =>
  send(`/api/requests/attachments?${new URLSearchParams({ name: file.name || 'file' })}`, file, progress);

async function send(url: string, file: File, progress: (share: number) => void): Promise<Attachment> {
  const res = await withFreshToken(true, (token) => post(url, file, token, progress));
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as Attachment;
}

function post(url: string, file: File, token: string | null, progress: (share: number) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    // The server reads the type from the bytes; this only keeps the
    // browser from labelling them as a form.
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) progress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const headers = new Headers();
      for (const h of ['Content-Type', 'X-Request-Id', 'Retry-After']) {
        const v = xhr.getResponseHeader(h);
        if (v) headers.set(h, v);
      }
      resolve(new Response(xhr.status === 204 ? null : xhr.responseText, { status: xhr.status, headers }));
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network', message: NETWORK_ERROR_MESSAGE }));
    xhr.send(file);
  });
}
