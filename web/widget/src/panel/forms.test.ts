import { describe, expect, it } from 'vitest';
import { CONFIG } from '../test/fixtures.js';
import { offlineFormFields, preChatFormFields, startRequest, validateForm } from './forms.js';
import { translator } from './i18n.js';

describe('pre-chat form', () => {
  const fields = preChatFormFields(CONFIG.preChatFields);

  it('validates required fields, email format and length', () => {
    expect(validateForm(fields, { name: ' ', email: 'nope', question: '' })).toEqual({
      name: { key: 'form.required' },
      email: { key: 'form.email' },
      question: { key: 'form.required' },
    });
    expect(validateForm(fields, { name: 'x'.repeat(81), question: 'ok' })).toEqual({ name: { key: 'form.tooLong', values: { max: 80 } } });
    expect(validateForm(fields, { name: 'Ann', email: 'ann@example.com', question: 'Pricing?' })).toEqual({});
  });

  it('maps answers onto v.start: name, email, first message, other fields, department', () => {
    expect(startRequest(CONFIG.preChatFields, { name: ' Ann ', email: 'ann@example.com', company: 'Globex', question: 'Do you support Postgres 16?' }, 'dep-1')).toEqual({
      name: 'Ann',
      email: 'ann@example.com',
      message: 'Do you support Postgres 16?',
      fields: { company: 'Globex' },
      departmentId: 'dep-1',
    });
    expect(startRequest(CONFIG.preChatFields, { name: 'Ann', question: 'hi', company: '  ' })).toEqual({ name: 'Ann', message: 'hi' });
  });
});

describe('offline form', () => {
  it('requires name, email and message', () => {
    const fields = offlineFormFields(translator('zh-CN'));
    expect(fields.map((field) => field.label)).toEqual(['姓名', '电子邮箱', '留言内容']);
    expect(Object.keys(validateForm(fields, {}))).toEqual(['name', 'email', 'message']);
    expect(validateForm(fields, { name: 'Li Lei', email: 'li@example.cn', message: '你好' })).toEqual({});
  });
});
