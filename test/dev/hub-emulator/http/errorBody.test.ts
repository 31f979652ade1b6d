import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hubErrors } from '../../../../dev/hub-emulator/hubError';
import { asHubError, renderHubError } from '../../../../dev/hub-emulator/http/errorBody';

const at = new Date('2026-03-14T09:54:49.653Z');

describe('renderHubError', () => {
  it('puts the 6-digit code into a JSON string in Message (current format)', () => {
    const rendered = renderHubError(hubErrors.jobNotFound('job-9'), 'current', at);
    assert.equal(rendered.status, 404);
    assert.equal(rendered.headers['iothub-errorcode'], 'JobNotFound');
    const outer = JSON.parse(rendered.body) as { Message: string; ExceptionMessage: string };
    assert.equal(outer.ExceptionMessage, '');
    const inner = JSON.parse(outer.Message) as Record<string, unknown>;
    assert.equal(inner['errorCode'], 404002);
    assert.equal(inner['message'], 'Job job-9 not found.');
    assert.equal(inner['timestampUtc'], at.toISOString());
    assert.match(String(inner['trackingId']), /^[0-9a-f]{32}-TimeStamp:03\/14\/2026 09:54:49$/);
  });

  it('writes ErrorCode:<Name>;<message> in the legacy format', () => {
    const rendered = renderHubError(hubErrors.deviceNotFound('d1'), 'legacy', at);
    const outer = JSON.parse(rendered.body) as { Message: string; ExceptionMessage: string };
    assert.equal(outer.Message, 'ErrorCode:DeviceNotFound;Device d1 not found.');
    assert.match(outer.ExceptionMessage, /^Tracking ID:[0-9a-f]{32}-TimeStamp:/);
    assert.equal(rendered.headers['iothub-errorcode'], 'DeviceNotFound');
  });

  it('carries the error headers, such as Retry-After on throttling', () => {
    const rendered = renderHubError(hubErrors.throttled(7), 'current', at);
    assert.equal(rendered.status, 429);
    assert.equal(rendered.headers['retry-after'], '7');
  });
});

describe('asHubError', () => {
  it('turns any other exception into a bare 500 ServerError without its text', () => {
    const error = asHubError(new TypeError('secret internals at /srv/x.ts:12'));
    assert.equal(error.status, 500);
    assert.equal(error.code, 500001);
    assert.ok(!error.message.includes('internals'));
  });

  it('keeps a HubError as it is', () => {
    const original = hubErrors.jobAlreadyExists('j');
    assert.equal(asHubError(original), original);
  });
});
