// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IInputBox} from "@cartesi/rollups/contracts/inputs/IInputBox.sol";
import {ITrustAndTeachInput} from "./ITrustAndTeachInput.sol";

/// @title TrustAndTeach: the on-chain record of an RLHF dataset
/// @notice Prompts go to a Cartesi Rollups v1 DApp through the InputBox; the DApp runs a deterministic LLM and posts
///         two responses per prompt back with vouchers; anyone ranks the pair. The dataset can be rebuilt from this
///         contract's events and views alone: prompt and response texts are in events, their commitments in storage.
/// @dev The deployer is an argument (not msg.sender) because the contract is deployed with CREATE2 through the
///      singleton factory, which would otherwise be the owner. The DApp is bound after deployment because the DApp's
///      address depends on the machine image, and the image embeds this contract's address.
contract TrustAndTeach {
    // ---------------------------------------------------------------- constants

    /// @notice Longest accepted prompt, in bytes (the backend enforces the same limit).
    uint256 public constant MAX_PROMPT_BYTES = 4096;
    /// @notice Fewest accepted steps: BOS and at least one prompt token take two positions, so one step can never
    ///         leave room for the prompt (the backend would reject every such prompt).
    uint32 public constant MIN_STEPS = 2;
    /// @notice Temperature used by the two-argument `sendPrompt`, in thousandths.
    uint32 public constant DEFAULT_TEMPERATURE_MILLI = 800;
    /// @notice Top-p used by the two-argument `sendPrompt`, in thousandths.
    uint32 public constant DEFAULT_TOP_P_MILLI = 900;
    /// @notice Highest accepted temperature, in thousandths (0 = greedy is accepted).
    uint32 public constant MAX_TEMPERATURE_MILLI = 2000;
    /// @notice Highest accepted top-p, in thousandths (the lowest is 1).
    uint32 public constant MAX_TOP_P_MILLI = 1000;
    /// @notice Responses written for every prompt; a ranking orders exactly this many indices.
    uint8 public constant RESPONSES_PER_PROMPT = 2;

    /// @notice Most conversations one `teach` call reads (its gas grows with their rankings; see docs/interfaces.md).
    uint256 public constant MAX_TEACH_CONVERSATIONS = 256;
    /// @notice Most model versions, the base (version 0) included: a conversation keeps its version in 16 bits.
    uint256 public constant MAX_MODEL_VERSIONS = 65536;

    /// @dev Both bits of `Conversation.postedMask` set: response 0 and response 1 are posted.
    uint8 private constant ALL_POSTED = 3;

    // ---------------------------------------------------------------- types

    /// @notice Where a conversation is in its life.
    enum Status {
        Prompted, // no response posted yet
        PartiallyAnswered, // one of the two responses posted
        Answered, // both responses posted, nobody ranked them yet
        Ranked, // both responses posted and at least one ranking
        Rejected // the DApp refused the prompt (rejectPrompt): it will never be answered
    }

    /// @dev Two storage slots per prompt; the prompt text itself lives in the PromptSubmitted event and its commitment
    ///      in the InputBox's input hash (see isPromptOf), which is why no prompt hash is stored here.
    struct Conversation {
        // slot 0
        address author;
        uint32 steps;
        uint32 temperatureMilli;
        uint32 topPMilli;
        // slot 1 (rewritten by postResponse and first rankings, so those pay for a warm non-zero slot)
        uint64 createdAt;
        uint64 blockNumber;
        uint64 inputIndex;
        uint8 postedMask;
        uint32 rankingCount;
        uint8 rejectionReason; // 0 = not rejected; else the DApp's reason code (docs/interfaces.md)
        uint16 modelVersion; // the version that answers it: 0 = the base model
    }

    /// @dev A fine-tuned model version (the base, version 0, is the immutable `modelHash` and is not stored).
    struct ModelVersion {
        // slot 0
        bytes32 modelHash;
        // slot 1
        bytes32 parentHash;
        // slot 2
        bytes32 datasetCommitment;
        // slot 3
        uint64 teachInputIndex;
        uint64 blockNumber;
        uint32 pairs;
        uint32 steps;
        uint16 parentVersion;
    }

    /// @notice A model version as the views return it (version 0 = the base: no parent, no dataset).
    struct ModelVersionView {
        uint256 version;
        bytes32 modelHash;
        bytes32 parentHash;
        uint256 parentVersion;
        bytes32 datasetCommitment;
        uint64 teachInputIndex;
        uint64 blockNumber;
        uint32 pairs;
        uint32 steps;
    }

    /// @dev One element of a conversation's ranking list; the order is `[first, 1 - first]`.
    struct RankingEntry {
        address ranker;
        uint8 first;
    }

    /// @notice A conversation as the views return it.
    struct ConversationView {
        uint256 id;
        address author;
        uint32 steps;
        uint32 temperatureMilli;
        uint32 topPMilli;
        uint64 createdAt;
        uint64 blockNumber;
        uint64 inputIndex;
        Status status;
        uint8 responsesPosted;
        uint32 rankingCount;
        bytes32[2] responseHashes;
        uint8 rejectionReason;
        uint16 modelVersion;
        bytes32 modelHash;
    }

    /// @notice One ranking of a conversation.
    struct RankingView {
        uint256 conversationId;
        address ranker;
        uint8[] order;
    }

    // ---------------------------------------------------------------- immutable record of the model

    /// @notice The only address allowed to bind the DApp (once).
    address public immutable owner;
    /// @notice The Cartesi v1 InputBox prompts are sent through.
    IInputBox public immutable inputBox;
    /// @notice sha256(checkpoint bytes ‖ tokenizer bytes) of the model every response must come from.
    bytes32 public immutable modelHash;
    /// @notice The model's context length: the largest accepted `steps`.
    uint32 public immutable seqLen;
    /// @notice The model's name, e.g. "stories15M".
    string public modelName;
    /// @notice The model's license, e.g. "MIT".
    string public modelLicense;

    // ---------------------------------------------------------------- state

    /// @notice The CartesiDApp that answers prompts and alone may post responses; zero until bound.
    address public dapp;
    /// @dev Packed beside `dapp` so the counter of a fresh contract is not a zero-to-non-zero store on the first prompt.
    uint64 private _conversationCount;
    /// @dev Registered fine-tuned versions (1..count); with the base, versions 0..count. Packed beside `dapp` too.
    uint16 private _registeredVersions;

    mapping(uint256 version => ModelVersion) private _versions;
    /// @dev Version + 1 of a registered fine-tuned model's hash; 0 = not a registered fine-tuned model.
    mapping(bytes32 modelHash => uint256) private _versionOfHash;

    mapping(uint256 conversationId => Conversation) private _conversations;
    mapping(uint256 conversationId => bytes32[2]) private _responseHashes;

    mapping(uint256 conversationId => mapping(uint256 position => RankingEntry)) private _rankings;
    /// @dev Position + 1 of a ranker's entry in the conversation's list; 0 = has not ranked it.
    mapping(uint256 conversationId => mapping(address ranker => uint256)) private _rankingSlot;
    /// @dev Conversations a ranker has ranked, as uint64 ids packed four to a word. Word 0 holds the count in its low
    ///      64 bits and the first three ids above it, so a first-time ranker writes one new slot instead of two.
    mapping(address ranker => mapping(uint256 word => uint256)) private _rankedByRanker;

    // ---------------------------------------------------------------- events

    /// @notice The DApp was bound; from now on prompts are accepted and it alone posts responses.
    event DAppBound(address indexed dapp);

    /// @notice A prompt was accepted and sent to the DApp as InputBox input `inputIndex`.
    /// @param prompt The prompt bytes exactly as sent (the payload carries the same bytes).
    event PromptSubmitted(
        uint256 indexed conversationId,
        address indexed author,
        uint256 indexed inputIndex,
        bytes prompt,
        uint32 steps,
        uint32 temperatureMilli,
        uint32 topPMilli
    );

    /// @notice A prompt goes to a fine-tuned model version (emitted right after its PromptSubmitted; prompts for the
    ///         base, version 0, emit none, so their cost and their logs stay as they were).
    event PromptModel(uint256 indexed conversationId, uint256 indexed modelVersion, bytes32 modelHash);

    /// @notice A response was posted; `textHash` = keccak256(text) is what storage keeps.
    /// @param text The exact bytes the model produced; may be invalid UTF-8.
    event ResponsePosted(
        uint256 indexed conversationId,
        uint8 indexed responseIndex,
        bytes32 textHash,
        bytes text,
        bytes32 modelHash,
        uint64 seed,
        uint32 steps,
        uint32 temperatureMilli,
        uint32 topPMilli
    );

    /// @notice The DApp refused a prompt it cannot answer (e.g. more tokens than `steps`), through a voucher.
    /// @param reason The DApp's reason code, never 0 (docs/interfaces.md, "Rejected prompts").
    event PromptRejected(uint256 indexed conversationId, uint8 reason);

    /// @notice `teach` sent InputBox input `inputIndex`: fine-tune on these conversations, each with its majority's
    ///         preferred response. `skippedTies` conversations (as many votes for each response, or none) were left out.
    event TeachRequested(
        uint256 indexed inputIndex,
        address indexed sender,
        uint256[] conversationIds,
        uint8[] chosenIndices,
        uint256 skippedTies
    );

    /// @notice `continueTeaching` sent InputBox input `inputIndex`: the backend trains on for another bounded slice.
    event TeachContinued(uint256 indexed inputIndex, address indexed sender);

    /// @notice The DApp registered a fine-tuned model version (through a voucher).
    /// @param hyperParameters @tt/llm's 88-byte wire form of the training's hyper-parameters, so anyone can re-train it.
    event ModelRegistered(
        uint256 indexed version,
        bytes32 indexed modelHash,
        bytes32 indexed parentHash,
        bytes32 datasetCommitment,
        uint64 teachInputIndex,
        uint32 pairs,
        uint32 steps,
        bytes hyperParameters
    );

    /// @notice A ranker ranked a conversation or changed their ranking.
    /// @param order The response indices, best first: [0,1] confirms the first response, [1,0] switches.
    /// @param previousOrder The ranker's order before this call; empty for a first ranking.
    event RankingSubmitted(
        uint256 indexed conversationId,
        address indexed ranker,
        uint8[] order,
        uint8[] previousOrder
    );

    // ---------------------------------------------------------------- errors

    error ZeroAddress(string what);
    error ZeroSeqLen();
    error NotOwner(address caller);
    error DAppAlreadyBound(address dapp);
    error DAppNotBound();
    error NotDApp(address caller);
    error EmptyPrompt();
    error PromptTooLong(uint256 length, uint256 maxLength);
    error StepsOutOfRange(uint32 steps, uint32 seqLen);
    error TemperatureOutOfRange(uint32 temperatureMilli);
    error TopPOutOfRange(uint32 topPMilli);
    error UnknownConversation(uint256 conversationId);
    error ResponseIndexOutOfRange(uint8 responseIndex);
    error ResponseAlreadyPosted(uint256 conversationId, uint8 responseIndex);
    error ModelHashMismatch(bytes32 given, bytes32 expected);
    error SeedMismatch(uint64 given, uint64 expected);
    error SamplingParametersMismatch(uint32 steps, uint32 temperatureMilli, uint32 topPMilli);
    error ResponsesNotPosted(uint256 conversationId, uint8 responsesPosted);
    error ConversationRejected(uint256 conversationId, uint8 reason);
    error RejectionReasonZero();
    error ResponsesAlreadyPosted(uint256 conversationId, uint8 responsesPosted);
    error RankingLengthInvalid(uint256 length);
    error RankingIndexOutOfRange(uint8 index);
    error RankingIndexRepeated(uint8 index);
    error RankingUnchanged(uint256 conversationId, address ranker);
    error TeachConversationCount(uint256 count, uint256 maxCount);
    error TeachIdsNotIncreasing(uint256 position, uint256 conversationId);
    error NothingToTeach(uint256 skippedTies);
    error UnknownModelVersion(uint256 version, uint256 versionCount);
    error UnknownModel(bytes32 modelHash);
    error ModelAlreadyRegistered(bytes32 modelHash, uint256 version);
    error ZeroModelHash();
    error TooManyModelVersions();

    // ---------------------------------------------------------------- setup

    /// @notice Records the model and the owner; the DApp is bound afterwards with bindDApp.
    /// @param owner_ The account allowed to bind the DApp (not msg.sender: that is the CREATE2 factory).
    /// @param inputBox_ The Cartesi v1 InputBox.
    /// @param modelName_ The model's name.
    /// @param modelLicense_ The model's license.
    /// @param modelHash_ sha256(checkpoint ‖ tokenizer).
    /// @param seqLen_ The model's context length.
    constructor(
        address owner_,
        IInputBox inputBox_,
        string memory modelName_,
        string memory modelLicense_,
        bytes32 modelHash_,
        uint32 seqLen_
    ) {
        if (owner_ == address(0)) revert ZeroAddress("owner");
        if (address(inputBox_) == address(0)) revert ZeroAddress("inputBox");
        if (seqLen_ == 0) revert ZeroSeqLen();
        owner = owner_;
        inputBox = inputBox_;
        modelName = modelName_;
        modelLicense = modelLicense_;
        modelHash = modelHash_;
        seqLen = seqLen_;
    }

    /// @notice Binds the CartesiDApp that answers prompts. One shot: the binding can never change.
    /// @dev Only the owner. The address need not have code yet (it can be the DApp's predicted address).
    /// @param dapp_ The CartesiDApp address.
    function bindDApp(address dapp_) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (dapp_ == address(0)) revert ZeroAddress("dapp");
        if (dapp != address(0)) revert DAppAlreadyBound(dapp);
        dapp = dapp_;
        emit DAppBound(dapp_);
    }

    // ---------------------------------------------------------------- prompts

    /// @notice Sends a prompt to the DApp with the default sampling parameters (temperature 0.8, top-p 0.9).
    /// @param prompt 1..MAX_PROMPT_BYTES bytes.
    /// @param steps Total positions including BOS and the prompt, MIN_STEPS..seqLen.
    /// @return conversationId The new conversation's id (0-based, sequential).
    function sendPrompt(string calldata prompt, uint32 steps) external returns (uint256 conversationId) {
        return _sendPrompt(bytes(prompt), steps, DEFAULT_TEMPERATURE_MILLI, DEFAULT_TOP_P_MILLI, _registeredVersions);
    }

    /// @notice Sends a prompt to the DApp.
    /// @param prompt 1..MAX_PROMPT_BYTES bytes.
    /// @param steps Total positions including BOS and the prompt, MIN_STEPS..seqLen.
    /// @param temperatureMilli Temperature in thousandths, 0..2000 (0 = greedy).
    /// @param topPMilli Top-p in thousandths, 1..1000.
    /// @return conversationId The new conversation's id (0-based, sequential).
    function sendPrompt(
        string calldata prompt,
        uint32 steps,
        uint32 temperatureMilli,
        uint32 topPMilli
    ) external returns (uint256 conversationId) {
        return _sendPrompt(bytes(prompt), steps, temperatureMilli, topPMilli, _registeredVersions);
    }

    /// @notice Sends a prompt to the DApp, to be answered by model version `modelVersion` (0 = the base). The other
    ///         two overloads use the latest registered version.
    /// @param modelVersion A version below modelVersionCount().
    function sendPrompt(
        string calldata prompt,
        uint32 steps,
        uint32 temperatureMilli,
        uint32 topPMilli,
        uint16 modelVersion
    ) external returns (uint256 conversationId) {
        uint256 count = uint256(_registeredVersions) + 1;
        if (modelVersion >= count) revert UnknownModelVersion(modelVersion, count);
        return _sendPrompt(bytes(prompt), steps, temperatureMilli, topPMilli, modelVersion);
    }

    function _sendPrompt(
        bytes calldata prompt,
        uint32 steps,
        uint32 temperatureMilli,
        uint32 topPMilli,
        uint16 modelVersion
    ) private returns (uint256 conversationId) {
        address boundDApp = dapp;
        if (boundDApp == address(0)) revert DAppNotBound();
        if (prompt.length == 0) revert EmptyPrompt();
        if (prompt.length > MAX_PROMPT_BYTES) revert PromptTooLong(prompt.length, MAX_PROMPT_BYTES);
        if (steps < MIN_STEPS || steps > seqLen) revert StepsOutOfRange(steps, seqLen);
        if (temperatureMilli > MAX_TEMPERATURE_MILLI) revert TemperatureOutOfRange(temperatureMilli);
        if (topPMilli == 0 || topPMilli > MAX_TOP_P_MILLI) revert TopPOutOfRange(topPMilli);

        conversationId = _conversationCount;
        _conversationCount = uint64(conversationId + 1);

        // The index addInput is about to use: other senders can add inputs to the same DApp, so it is read, not counted.
        uint256 inputIndex = inputBox.getNumberOfInputs(boundDApp);
        _conversations[conversationId] = Conversation({
            author: msg.sender,
            steps: steps,
            temperatureMilli: temperatureMilli,
            topPMilli: topPMilli,
            createdAt: uint64(block.timestamp),
            blockNumber: uint64(block.number),
            inputIndex: uint64(inputIndex),
            postedMask: 0,
            rankingCount: 0,
            rejectionReason: 0,
            modelVersion: modelVersion
        });

        inputBox.addInput(
            boundDApp,
            _payload(conversationId, prompt, steps, temperatureMilli, topPMilli, modelVersion)
        );
        emit PromptSubmitted(conversationId, msg.sender, inputIndex, prompt, steps, temperatureMilli, topPMilli);
        if (modelVersion != 0) emit PromptModel(conversationId, modelVersion, _versions[modelVersion].modelHash);
    }

    function _payload(
        uint256 conversationId,
        bytes calldata prompt,
        uint32 steps,
        uint32 temperatureMilli,
        uint32 topPMilli,
        uint16 modelVersion
    ) private view returns (bytes memory) {
        if (modelVersion == 0) {
            return
                abi.encodeCall(ITrustAndTeachInput.prompt, (conversationId, prompt, steps, temperatureMilli, topPMilli));
        }
        return
            abi.encodeCall(
                ITrustAndTeachInput.promptWithModel,
                (conversationId, prompt, steps, temperatureMilli, topPMilli, _versions[modelVersion].modelHash)
            );
    }

    // ---------------------------------------------------------------- responses

    /// @notice Posts one whole response; called by the DApp's voucher.
    /// @dev Only the bound DApp; each (conversation, index) once. The model hash, the seed and the sampling parameters
    ///      must be the ones this contract expects, so a response on record is one anyone can re-run and check.
    /// @param conversationId The conversation answered.
    /// @param responseIndex 0 or 1.
    /// @param text The exact generated bytes (may be invalid UTF-8).
    /// @param modelHash_ Must equal the hash of the conversation's model version (`modelHash` for the base).
    /// @param seed Must equal `seedFor(conversationId, responseIndex)`.
    /// @param steps Must equal the conversation's steps.
    /// @param temperatureMilli Must equal the conversation's temperature.
    /// @param topPMilli Must equal the conversation's top-p.
    function postResponse(
        uint256 conversationId,
        uint8 responseIndex,
        bytes calldata text,
        bytes32 modelHash_,
        uint64 seed,
        uint32 steps,
        uint32 temperatureMilli,
        uint32 topPMilli
    ) external {
        // Before binding `dapp` is zero, which no caller is, so this also refuses everything until then.
        if (msg.sender != dapp) revert NotDApp(msg.sender);
        if (responseIndex >= RESPONSES_PER_PROMPT) revert ResponseIndexOutOfRange(responseIndex);
        Conversation storage c = _existing(conversationId);
        uint8 rejected = c.rejectionReason;
        if (rejected != 0) revert ConversationRejected(conversationId, rejected);
        bytes32 expectedHash = _versionHash(c.modelVersion);
        if (modelHash_ != expectedHash) revert ModelHashMismatch(modelHash_, expectedHash);
        uint64 expectedSeed = seedFor(conversationId, responseIndex);
        if (seed != expectedSeed) revert SeedMismatch(seed, expectedSeed);
        if (steps != c.steps || temperatureMilli != c.temperatureMilli || topPMilli != c.topPMilli) {
            revert SamplingParametersMismatch(steps, temperatureMilli, topPMilli);
        }
        uint8 bit = uint8(1) << responseIndex;
        uint8 mask = c.postedMask;
        if (mask & bit != 0) revert ResponseAlreadyPosted(conversationId, responseIndex);

        c.postedMask = mask | bit;
        bytes32 textHash = keccak256(text);
        _responseHashes[conversationId][responseIndex] = textHash;
        emit ResponsePosted(
            conversationId,
            responseIndex,
            textHash,
            text,
            modelHash_,
            seed,
            steps,
            temperatureMilli,
            topPMilli
        );
    }

    /// @notice Records that the DApp refused a prompt, so the conversation reads `Rejected` instead of waiting forever;
    ///         called by the DApp's voucher (in Cartesi v1 a rejected input's outputs are dropped, so the DApp accepts
    ///         the input and emits this voucher with an error report).
    /// @dev Only the bound DApp; once; never after a response was posted.
    /// @param conversationId The conversation refused.
    /// @param reason The DApp's reason code, 1..255 (docs/interfaces.md, "Rejected prompts").
    function rejectPrompt(uint256 conversationId, uint8 reason) external {
        if (msg.sender != dapp) revert NotDApp(msg.sender);
        if (reason == 0) revert RejectionReasonZero();
        Conversation storage c = _existing(conversationId);
        uint8 rejected = c.rejectionReason;
        if (rejected != 0) revert ConversationRejected(conversationId, rejected);
        uint8 mask = c.postedMask;
        if (mask != 0) revert ResponsesAlreadyPosted(conversationId, _popcount(mask));
        c.rejectionReason = reason;
        emit PromptRejected(conversationId, reason);
    }

    /// @notice The seed response `responseIndex` of `conversationId` must be generated with (docs/interfaces.md):
    ///         the first 8 bytes, big-endian, of keccak256("trust-and-teach:seed:v1" ‖ uint256 id ‖ uint8 index).
    /// @param conversationId The conversation.
    /// @param responseIndex 0 or 1 (not checked: the formula is defined for any index).
    /// @return The seed.
    function seedFor(uint256 conversationId, uint8 responseIndex) public pure returns (uint64) {
        return uint64(bytes8(keccak256(abi.encodePacked("trust-and-teach:seed:v1", conversationId, responseIndex))));
    }

    // ---------------------------------------------------------------- rankings

    /// @notice Ranks the two responses of a conversation, or changes the caller's ranking of it.
    /// @dev Only once both responses are posted. Resubmitting the same order reverts (nothing would change).
    /// @param conversationId The conversation ranked.
    /// @param order A permutation of [0, 1], best first: [0,1] confirms the first response, [1,0] switches.
    function submitRanking(uint256 conversationId, uint8[] calldata order) external {
        // A conversation that does not exist has an all-zero slot, so the mask check alone guards both cases and the
        // counter is read only to name the error.
        Conversation storage c = _conversations[conversationId];
        uint8 mask = c.postedMask;
        if (mask != ALL_POSTED) {
            _existing(conversationId);
            revert ResponsesNotPosted(conversationId, _popcount(mask));
        }
        uint8 first = _checkPermutation(order);

        uint256 slotPlusOne = _rankingSlot[conversationId][msg.sender];
        uint8[] memory previousOrder;
        if (slotPlusOne == 0) {
            uint32 position = c.rankingCount;
            c.rankingCount = position + 1;
            _rankings[conversationId][position] = RankingEntry({ranker: msg.sender, first: first});
            _rankingSlot[conversationId][msg.sender] = uint256(position) + 1;
            _pushRanked(msg.sender, conversationId);
        } else {
            RankingEntry storage entry = _rankings[conversationId][slotPlusOne - 1];
            uint8 previousFirst = entry.first;
            if (previousFirst == first) revert RankingUnchanged(conversationId, msg.sender);
            entry.first = first;
            previousOrder = _order(previousFirst);
        }
        emit RankingSubmitted(conversationId, msg.sender, order, previousOrder);
    }

    /// @dev Returns the index ranked first; reverts unless `order` is a permutation of 0..RESPONSES_PER_PROMPT-1.
    ///      Written out for two responses (the errors are those a loop over the indices would raise, in its order):
    ///      straight-line code keeps submitRanking's first ranking under its gas goal.
    function _checkPermutation(uint8[] calldata order) private pure returns (uint8 first) {
        if (order.length != RESPONSES_PER_PROMPT) revert RankingLengthInvalid(order.length);
        first = order[0];
        if (first >= RESPONSES_PER_PROMPT) revert RankingIndexOutOfRange(first);
        uint8 second = order[1];
        if (second >= RESPONSES_PER_PROMPT) revert RankingIndexOutOfRange(second);
        if (second == first) revert RankingIndexRepeated(second);
    }

    function _pushRanked(address ranker, uint256 conversationId) private {
        mapping(uint256 => uint256) storage words = _rankedByRanker[ranker];
        uint256 head = words[0];
        uint256 count = uint64(head);
        (uint256 word, uint256 lane) = _rankedLocation(count);
        // Conversation ids are below 2^64 because the counter is a uint64, so each fits its 64-bit lane.
        uint256 shifted = conversationId << (64 * lane);
        if (word == 0) {
            words[0] = head + 1 + shifted;
        } else {
            words[0] = head + 1;
            words[word] |= shifted;
        }
    }

    /// @dev Where the `position`-th conversation a ranker ranked is kept in `_rankedByRanker` (see there).
    function _rankedLocation(uint256 position) private pure returns (uint256 word, uint256 lane) {
        if (position < 3) return (0, position + 1);
        return (1 + (position - 3) / 4, (position - 3) % 4);
    }

    function _order(uint8 first) private pure returns (uint8[] memory order) {
        order = new uint8[](2);
        order[0] = first;
        order[1] = 1 - first;
    }

    // ---------------------------------------------------------------- teaching and model versions

    /// @notice Asks the DApp to fine-tune the latest model on these conversations. Anyone may call it: the preferences
    ///         come from this contract's storage, not from the caller. Each conversation's rankings are tallied (one
    ///         vote per ranker for the response it puts first); the majority's choice goes into ONE InputBox input,
    ///         `ITrustAndTeachInput.teach(ids, chosen)`; ties (and unranked conversations) are skipped and counted.
    /// @dev Ids strictly increasing (no duplicates, and the dataset's canonical order); each must have both responses.
    /// @param conversationIds 1..MAX_TEACH_CONVERSATIONS strictly increasing conversation ids.
    /// @return inputIndex The InputBox index of the teach input.
    function teach(uint256[] calldata conversationIds) external returns (uint256 inputIndex) {
        address boundDApp = dapp;
        if (boundDApp == address(0)) revert DAppNotBound();
        uint256 n = conversationIds.length;
        if (n == 0 || n > MAX_TEACH_CONVERSATIONS) revert TeachConversationCount(n, MAX_TEACH_CONVERSATIONS);
        uint256[] memory ids = new uint256[](n);
        uint8[] memory chosen = new uint8[](n);
        uint256 pairs;
        uint256 total = _conversationCount;
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = conversationIds[i];
            if (i > 0 && id <= conversationIds[i - 1]) revert TeachIdsNotIncreasing(i, id);
            if (id >= total) revert UnknownConversation(id);
            Conversation storage c = _conversations[id];
            uint8 mask = c.postedMask;
            if (mask != ALL_POSTED) revert ResponsesNotPosted(id, _popcount(mask));
            uint256 count = c.rankingCount;
            uint256 firstIsOne;
            mapping(uint256 => RankingEntry) storage list = _rankings[id];
            for (uint256 k = 0; k < count; ++k) firstIsOne += list[k].first;
            uint256 firstIsZero = count - firstIsOne;
            if (firstIsZero == firstIsOne) continue; // a tie, or nobody ranked it
            ids[pairs] = id;
            chosen[pairs] = firstIsOne > firstIsZero ? 1 : 0;
            ++pairs;
        }
        if (pairs == 0) revert NothingToTeach(n);
        // Cut the arrays to the pairs kept (their memory length words are rewritten; the tail is simply unused).
        assembly {
            mstore(ids, pairs)
            mstore(chosen, pairs)
        }
        inputIndex = inputBox.getNumberOfInputs(boundDApp);
        inputBox.addInput(boundDApp, abi.encodeCall(ITrustAndTeachInput.teach, (ids, chosen)));
        emit TeachRequested(inputIndex, msg.sender, ids, chosen, n - pairs);
    }

    /// @notice Asks the DApp to go on with the training in progress: it trains a bounded number of steps per input
    ///         (set at deploy), so a large dataset takes several inputs. Anyone may call it; with nothing in progress
    ///         the backend only reports so.
    /// @return inputIndex The InputBox index of the input.
    function continueTeaching() external returns (uint256 inputIndex) {
        address boundDApp = dapp;
        if (boundDApp == address(0)) revert DAppNotBound();
        inputIndex = inputBox.getNumberOfInputs(boundDApp);
        inputBox.addInput(
            boundDApp,
            abi.encodeCall(ITrustAndTeachInput.teach, (new uint256[](0), new uint8[](0)))
        );
        emit TeachContinued(inputIndex, msg.sender);
    }

    /// @notice Registers a fine-tuned model version; called by the DApp's voucher when a training completes.
    /// @dev Only the bound DApp. The parent must be registered (or the base) and the hash new, so the lineage is a tree
    ///      rooted at the base and a version's vouchers run in order (a child's voucher fails until its parent's ran).
    /// @param modelHash_ sha256(trained checkpoint ‖ tokenizer).
    /// @param parentHash The model it was trained from (also the DPO reference).
    /// @param datasetCommitment keccak256 of the dataset's canonical encoding (@tt/protocol encodeDataset).
    /// @param teachInputIndex The InputBox index of the teach input that carried the dataset.
    /// @param pairs Pairs trained on.
    /// @param steps Optimizer steps.
    /// @param hyperParameters The training's hyper-parameters (@tt/llm encodeHyperParameters), kept in the event.
    /// @return version The new version number.
    function registerModel(
        bytes32 modelHash_,
        bytes32 parentHash,
        bytes32 datasetCommitment,
        uint64 teachInputIndex,
        uint32 pairs,
        uint32 steps,
        bytes calldata hyperParameters
    ) external returns (uint256 version) {
        if (msg.sender != dapp) revert NotDApp(msg.sender);
        if (modelHash_ == bytes32(0)) revert ZeroModelHash();
        if (modelHash_ == modelHash) revert ModelAlreadyRegistered(modelHash_, 0);
        uint256 existing = _versionOfHash[modelHash_];
        if (existing != 0) revert ModelAlreadyRegistered(modelHash_, existing - 1);
        uint256 parentVersion = modelVersionOf(parentHash);
        uint256 registered = _registeredVersions;
        if (registered + 1 >= MAX_MODEL_VERSIONS) revert TooManyModelVersions();
        version = registered + 1;
        _registeredVersions = uint16(version);
        _versions[version] = ModelVersion({
            modelHash: modelHash_,
            parentHash: parentHash,
            datasetCommitment: datasetCommitment,
            teachInputIndex: teachInputIndex,
            blockNumber: uint64(block.number),
            pairs: pairs,
            steps: steps,
            parentVersion: uint16(parentVersion)
        });
        _versionOfHash[modelHash_] = version + 1;
        emit ModelRegistered(
            version,
            modelHash_,
            parentHash,
            datasetCommitment,
            teachInputIndex,
            pairs,
            steps,
            hyperParameters
        );
    }

    /// @notice Model versions so far, the base (version 0) included; the latest is count - 1.
    function modelVersionCount() external view returns (uint256) {
        return uint256(_registeredVersions) + 1;
    }

    /// @notice The version number of a model hash (0 for the base); reverts UnknownModel for any other hash.
    function modelVersionOf(bytes32 hash) public view returns (uint256) {
        if (hash == modelHash) return 0;
        uint256 plusOne = _versionOfHash[hash];
        if (plusOne == 0) revert UnknownModel(hash);
        return plusOne - 1;
    }

    /// @notice One model version with its lineage (version 0 = the base).
    function getModelVersion(uint256 version) public view returns (ModelVersionView memory v) {
        uint256 count = uint256(_registeredVersions) + 1;
        if (version >= count) revert UnknownModelVersion(version, count);
        if (version == 0) {
            v.modelHash = modelHash;
            return v;
        }
        ModelVersion storage m = _versions[version];
        v = ModelVersionView({
            version: version,
            modelHash: m.modelHash,
            parentHash: m.parentHash,
            parentVersion: m.parentVersion,
            datasetCommitment: m.datasetCommitment,
            teachInputIndex: m.teachInputIndex,
            blockNumber: m.blockNumber,
            pairs: m.pairs,
            steps: m.steps
        });
    }

    /// @notice Versions `offset`..`offset+limit-1` (0 = the base), cut at the end of the list.
    function getModelVersions(uint256 offset, uint256 limit) external view returns (ModelVersionView[] memory page) {
        uint256 n = _pageLength(uint256(_registeredVersions) + 1, offset, limit);
        page = new ModelVersionView[](n);
        for (uint256 i = 0; i < n; ++i) page[i] = getModelVersion(offset + i);
    }

    function _versionHash(uint16 version) private view returns (bytes32) {
        return version == 0 ? modelHash : _versions[version].modelHash;
    }

    // ---------------------------------------------------------------- views

    /// @notice The number of conversations (prompts) so far; ids are 0..count-1.
    function conversationCount() external view returns (uint256) {
        return _conversationCount;
    }

    /// @notice One conversation with its status.
    /// @param conversationId An id below conversationCount().
    function getConversation(uint256 conversationId) external view returns (ConversationView memory) {
        _existing(conversationId);
        return _view(conversationId);
    }

    /// @notice Conversations `offset`..`offset+limit-1`, cut at the end of the list (an offset past it gives []).
    /// @param offset The first id returned.
    /// @param limit The most conversations returned.
    function getConversations(uint256 offset, uint256 limit) external view returns (ConversationView[] memory page) {
        uint256 n = _pageLength(_conversationCount, offset, limit);
        page = new ConversationView[](n);
        for (uint256 i = 0; i < n; ++i) page[i] = _view(offset + i);
    }

    /// @notice keccak256 of a posted response's text; zero while it is not posted.
    /// @param conversationId The conversation.
    /// @param responseIndex 0 or 1.
    function responseHash(uint256 conversationId, uint8 responseIndex) external view returns (bytes32) {
        if (responseIndex >= RESPONSES_PER_PROMPT) revert ResponseIndexOutOfRange(responseIndex);
        _existing(conversationId);
        return _responseHashes[conversationId][responseIndex];
    }

    /// @notice Whether `prompt` is exactly the prompt of `conversationId`: it recomputes the InputBox's input hash
    ///         (LibInput.computeInputHash) of the payload the prompt gives, and compares it with the stored one.
    /// @param conversationId The conversation.
    /// @param prompt The candidate prompt bytes.
    function isPromptOf(uint256 conversationId, bytes calldata prompt) external view returns (bool) {
        Conversation storage c = _existing(conversationId);
        bytes memory payload = _payload(conversationId, prompt, c.steps, c.temperatureMilli, c.topPMilli, c.modelVersion);
        bytes32 metadataHash = keccak256(abi.encode(address(this), c.blockNumber, c.createdAt, 0, c.inputIndex));
        bytes32 inputHash = keccak256(abi.encode(metadataHash, keccak256(payload)));
        return inputHash == inputBox.getInputHash(dapp, c.inputIndex);
    }

    /// @notice The number of rankers of a conversation.
    /// @param conversationId The conversation.
    function rankingCount(uint256 conversationId) external view returns (uint256) {
        return _existing(conversationId).rankingCount;
    }

    /// @notice Rankings of a conversation, in the order rankers first ranked it, `offset`..`offset+limit-1`.
    /// @param conversationId The conversation.
    /// @param offset The first position returned.
    /// @param limit The most rankings returned.
    function getRankings(
        uint256 conversationId,
        uint256 offset,
        uint256 limit
    ) external view returns (RankingView[] memory page) {
        uint256 n = _pageLength(_existing(conversationId).rankingCount, offset, limit);
        page = new RankingView[](n);
        for (uint256 i = 0; i < n; ++i) {
            RankingEntry storage entry = _rankings[conversationId][offset + i];
            page[i] = RankingView(conversationId, entry.ranker, _order(entry.first));
        }
    }

    /// @notice A ranker's order for a conversation; empty if they have not ranked it. Unknown ids revert.
    /// @param conversationId The conversation.
    /// @param ranker The ranker.
    function rankingOf(uint256 conversationId, address ranker) external view returns (uint8[] memory) {
        _existing(conversationId);
        return _rankingOf(conversationId, ranker);
    }

    function _rankingOf(uint256 conversationId, address ranker) private view returns (uint8[] memory) {
        uint256 slotPlusOne = _rankingSlot[conversationId][ranker];
        if (slotPlusOne == 0) return new uint8[](0);
        return _order(_rankings[conversationId][slotPlusOne - 1].first);
    }

    /// @notice The number of conversations a ranker has ranked.
    /// @param ranker The ranker.
    function rankedCount(address ranker) external view returns (uint256) {
        return uint64(_rankedByRanker[ranker][0]);
    }

    /// @notice A ranker's rankings, in the order they first ranked each conversation, `offset`..`offset+limit-1`.
    /// @param ranker The ranker.
    /// @param offset The first position returned.
    /// @param limit The most rankings returned.
    function getRankingsByRanker(
        address ranker,
        uint256 offset,
        uint256 limit
    ) external view returns (RankingView[] memory page) {
        mapping(uint256 => uint256) storage words = _rankedByRanker[ranker];
        uint256 n = _pageLength(uint64(words[0]), offset, limit);
        page = new RankingView[](n);
        for (uint256 i = 0; i < n; ++i) {
            (uint256 word, uint256 lane) = _rankedLocation(offset + i);
            uint256 conversationId = uint64(words[word] >> (64 * lane));
            page[i] = RankingView(conversationId, ranker, _rankingOf(conversationId, ranker));
        }
    }

    // ---------------------------------------------------------------- internals of the views

    function _existing(uint256 conversationId) private view returns (Conversation storage c) {
        if (conversationId >= _conversationCount) revert UnknownConversation(conversationId);
        return _conversations[conversationId];
    }

    function _view(uint256 conversationId) private view returns (ConversationView memory v) {
        Conversation storage c = _conversations[conversationId];
        uint8 posted = _popcount(c.postedMask);
        uint32 rankings = c.rankingCount;
        uint8 rejected = c.rejectionReason;
        Status status;
        if (rejected != 0) status = Status.Rejected;
        else if (posted == 0) status = Status.Prompted;
        else if (posted == 1) status = Status.PartiallyAnswered;
        else if (rankings == 0) status = Status.Answered;
        else status = Status.Ranked;
        v = ConversationView({
            id: conversationId,
            author: c.author,
            steps: c.steps,
            temperatureMilli: c.temperatureMilli,
            topPMilli: c.topPMilli,
            createdAt: c.createdAt,
            blockNumber: c.blockNumber,
            inputIndex: c.inputIndex,
            status: status,
            responsesPosted: posted,
            rankingCount: rankings,
            responseHashes: _responseHashes[conversationId],
            rejectionReason: rejected,
            modelVersion: c.modelVersion,
            modelHash: _versionHash(c.modelVersion)
        });
    }

    function _popcount(uint8 mask) private pure returns (uint8) {
        return (mask & 1) + ((mask >> 1) & 1);
    }

    function _pageLength(uint256 total, uint256 offset, uint256 limit) private pure returns (uint256) {
        if (offset >= total) return 0;
        uint256 remaining = total - offset;
        return remaining < limit ? remaining : limit;
    }
}
