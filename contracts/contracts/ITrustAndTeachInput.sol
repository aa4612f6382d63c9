// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title The input payload TrustAndTeach sends to the Cartesi DApp through the InputBox
/// @notice Never called: the payload of every input is the ABI call data of one of these functions (4-byte selector,
///         then the ABI-encoded arguments), so the backend decodes it with the same ABI tools as any call. See docs/interfaces.md.
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

    /// @notice A prompt to answer with a fine-tuned model version instead of the base (TrustAndTeach sends `prompt`
    ///         for the base, so base prompts keep their payload).
    /// @param modelHash The version's sha256(checkpoint ‖ tokenizer), as registered with registerModel.
    function promptWithModel(
        uint256 conversationId,
        bytes calldata prompt,
        uint32 steps,
        uint32 temperatureMilli,
        uint32 topPMilli,
        bytes32 modelHash
    ) external;

    /// @notice Preferences to fine-tune on (TrustAndTeach.teach): one pair per conversation, in increasing id, with the
    ///         response index the majority of its rankers put first. Empty lists ask the backend to go on training.
    ///         No token ids: the backend wrote every response, so it knows them.
    /// @param conversationIds Strictly increasing conversation ids.
    /// @param chosenIndices chosenIndices[i] (0 or 1) is the preferred response of conversationIds[i].
    function teach(uint256[] calldata conversationIds, uint8[] calldata chosenIndices) external;
}
