// The v1 rollup HTTP API's request shapes (cartesi/openapi-interfaces rollup.yaml, API 0.7.x).

export type FinishStatus = 'accept' | 'reject';

export interface AdvanceMetadata {
  /** lowercase 0x-address: msg.sender of InputBox.addInput */
  msg_sender: string;
  epoch_index: number;
  input_index: number;
  block_number: number;
  /** seconds */
  timestamp: number;
}

export interface AdvanceRequest {
  request_type: 'advance_state';
  data: { metadata: AdvanceMetadata; payload: string };
}

export interface InspectRequest {
  request_type: 'inspect_state';
  data: { payload: string };
}

export type RollupRequest = AdvanceRequest | InspectRequest;
