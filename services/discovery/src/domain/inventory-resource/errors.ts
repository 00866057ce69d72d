/**
 * The shared factories (@lm/contracts) under the names discovery's rules use; `reportValidation`
 * is the extensions API's error for a report it refuses as a whole (HTTP 400).
 */
export {
  filterLimitExceeded,
  invalidParameterValue as invalidParameter,
  validation as reportValidation,
} from '@lm/contracts';
