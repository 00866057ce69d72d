export { CborError, decodeCbor, encodeCbor } from './cbor';
export {
  CborRequestError,
  cborOperationOf,
  decodeCborInput,
  encodeCborError,
  encodeCborOutput,
  isRpcV2CborRequest,
  RPC_V2_CBOR_HEADER,
} from './rpc-v2-cbor';
