// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title The input payload TrustAndTeach sends to the Cartesi DApp through the InputBox
/// @notice Never called: the payload of every input is the ABI call data of `prompt(...)` (4-byte selector, then the
///         ABI-encoded arguments), so the backend decodes it with the same ABI tools as any call. See docs/interfaces.md.
interface ITrustAndTeachInput {
    /// @notice One prompt to answer twice (response indices 0 and 1).
    /// @param conversationId The id TrustAndTeach gave the prompt; the responses are posted back under it.
    /// @param prompt The prompt as raw bytes, 1..MAX_PROMPT_BYTES long; not guaranteed to be valid UTF-8.
    /// @param steps Total positions including BOS and the prompt (llama2.c `-n`), 1..seqLen.
    /// @param temperatureMilli Temperature in thousandths, 0..2000 (0 = greedy).
    /// @param topPMilli Top-p in thousandths, 1..1000.
    function prompt(
        uint256 conversationId,
        bytes calldata prompt,
        uint32 steps,
        uint32 temperatureMilli,
        uint32 topPMilli
    ) external;
}
