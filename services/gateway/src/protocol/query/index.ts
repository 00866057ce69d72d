export { decodeQueryInput } from './decode-form';
export { encodeQueryError, encodeQueryResponse, escapeXml } from './encode-xml';
