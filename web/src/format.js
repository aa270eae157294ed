// Dates, areas and numbers in the reader's convention: 2023年6月30日 in Chinese,
// 30 June 2023 in English; dates and timestamps are read as Beijing dates.
import { getLang, t } from './i18n.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const M2_PER_MU = 10000 / 15; // 1 亩 = 666.67 m²
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** A date (`YYYY-MM-DD`) or an RFC 3339 timestamp, as a Beijing calendar date. */
export function formatDate(value) {
  if (!value) return '—';
  let y, m, d;
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (plain) {
    [y, m, d] = plain.slice(1).map(Number);
  } else {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return String(value);
    const bj = new Date(ms + BEIJING_OFFSET_MS);
    [y, m, d] = [bj.getUTCFullYear(), bj.getUTCMonth() + 1, bj.getUTCDate()];
  }
  return getLang() === 'en' ? `${d} ${MONTHS[m - 1]} ${y}` : `${y}年${m}月${d}日`;
}

/** A timestamp as a Beijing date and time (minutes). */
export function formatDateTime(value) {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return formatDate(value);
  const bj = new Date(ms + BEIJING_OFFSET_MS);
  const hh = String(bj.getUTCHours()).padStart(2, '0');
  const mm = String(bj.getUTCMinutes()).padStart(2, '0');
  return `${formatDate(value)} ${hh}:${mm}`;
}

export function formatNumber(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  return Number(n).toLocaleString(getLang() === 'en' ? 'en-GB' : 'zh-CN', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** An area in m², 亩 and hectares: "12,214 m² · 18.32 亩 · 1.22 公顷". */
export function formatArea(m2) {
  if (m2 === null || m2 === undefined) return '—';
  return `${formatNumber(m2)} m² · ${formatNumber(m2 / M2_PER_MU, 2)} ${t('mu')} · ${formatNumber(m2 / 10000, 2)} ${t('ha')}`;
}

/** Escapes text for HTML built by template strings. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
