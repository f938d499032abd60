// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title Solvent custody vault
/// @notice Holds one chain's ERC-20 collateral for Solvent. Value leaves only by `claim` (a withdrawal record proven
/// against the last accepted withdrawals root) or, once frozen, by `exit` (a leaf proven against the last accepted
/// exit root). Roots are accepted only when signed by a threshold of the validators fixed at deployment. There is no
/// owner, no upgrade path and no function that moves funds on anyone's say-so.
contract Vault is ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice What the validators sign, under Solvent's EIP-712 domain.
    struct Attestation {
        uint64 height;
        bytes32 stateRoot;
        bytes32 withdrawalsRoot;
        bytes32 exitRoot;
        bytes32 forcedRoot;
    }

    /// @notice One withdrawal recorded by Solvent; its id is its leaf index in the withdrawals tree.
    struct WithdrawalRecord {
        uint64 id;
        address recipient;
        uint256 chainId;
        address token;
        uint256 amount;
    }

    /// @notice What an owner may take out of a frozen vault.
    struct ExitLeaf {
        address owner;
        uint256 chainId;
        address token;
        uint256 amount;
    }

    bytes32 public constant ATTESTATION_TYPEHASH = keccak256(
        "Attestation(uint64 height,bytes32 stateRoot,bytes32 withdrawalsRoot,bytes32 exitRoot,bytes32 forcedRoot)"
    );
    /// @notice Depth of the append-only withdrawals tree (a proof has exactly this many siblings).
    uint256 public constant WITHDRAWAL_TREE_DEPTH = 32;
    /// @notice Deepest exit tree accepted (2^32 leaves).
    uint256 public constant MAX_EXIT_TREE_DEPTH = 32;

    event Deposited(
        uint64 indexed depositId, address indexed owner, uint32 subaccount, address indexed token, uint256 amount
    );
    event ForcedWithdrawalRequested(
        uint64 indexed requestId, address indexed owner, uint32 subaccount, address token, uint256 amount, uint64 requestedAt
    );
    event RootAccepted(uint64 indexed height, bytes32 stateRoot, bytes32 withdrawalsRoot, bytes32 exitRoot);
    event Claimed(uint64 indexed withdrawalId, address indexed recipient, address token, uint256 amount);
    event Frozen(uint64 overdueRequestId);
    event Exited(address indexed owner, address indexed token, uint256 amount);

    // Constructor configuration.
    error NoValidators();
    error InvalidThreshold(uint16 threshold, uint256 validatorCount);
    error InvalidValidator(address validator);
    error InvalidToken(address token);
    error InvalidForcedDeadline();
    // Deposits and forced requests.
    error VaultFrozen();
    error UnknownToken(address token);
    error ZeroAmount();
    error TransferShortfall(uint256 expected, uint256 received);
    // Root commitment.
    error StaleHeight(uint64 height, uint64 lastHeight);
    error ForcedArraysLengthMismatch(uint256 chainIds, uint256 counts);
    error ForcedChainIdsNotAscending(uint256 index);
    error ForcedRootMismatch(bytes32 expected, bytes32 computed);
    error ForcedCountAhead(uint64 processed, uint64 requested);
    error ForcedCountDecreased(uint64 processed, uint64 previous);
    error NotEnoughSignatures(uint256 count, uint16 threshold);
    error InvalidSignature(uint256 index);
    error NotValidator(uint256 index, address signer);
    error DuplicateSigner(uint256 index, address signer);
    error SignersNotAscending(uint256 index, address signer);
    // Claims and exits.
    error WrongChain(uint256 chainId);
    error InvalidProofLength(uint256 length);
    error InvalidProof();
    error AlreadyClaimed(uint64 withdrawalId);
    error NotFrozen();
    error AlreadyExited(address owner, address token);
    // Freezing.
    error UnknownRequest(uint64 requestId);
    error RequestProcessed(uint64 requestId, uint64 processedCount);
    error DeadlineNotPassed(uint64 requestId, uint256 freezableAfter);

    /// @notice Solvent's EIP-712 domain separator (the same on every vault chain).
    bytes32 public immutable solventDomainSeparator;
    /// @notice Distinct validator signatures a root needs.
    uint16 public immutable threshold;
    /// @notice Seconds the validators have to process a forced request before anyone may freeze the vault.
    uint64 public immutable forcedDeadline;

    address[] private _validators;
    address[] private _tokens;
    mapping(address => bool) public isValidator;
    mapping(address => bool) public isToken;

    // One slot: the counters and flags every state-changing call reads.
    /// @notice Height of the last accepted root (meaningful once `hasRoot`).
    uint64 public lastHeight;
    /// @notice Forced requests the last accepted root says Solvent has processed (requests 0 … count-1).
    uint64 public processedForcedCount;
    /// @notice Deposits made so far; the next deposit's id.
    uint64 public depositCount;
    /// @notice Forced requests made so far; the next request's id.
    uint64 public forcedRequestCount;
    bool public hasRoot;
    bool public frozen;

    bytes32 public stateRoot;
    bytes32 public withdrawalsRoot;
    bytes32 public exitRoot;

    mapping(uint64 => uint64) public forcedRequestedAt;
    mapping(uint256 => uint256) private _claimedBitmap;
    mapping(address => mapping(address => bool)) public hasExited;

    /// @param domainSeparator Solvent's EIP-712 domain separator (name "Solvent", version "1", Solvent's chain id).
    /// @param validatorSet Addresses whose signatures count toward the threshold; distinct and non-zero.
    /// @param signatureThreshold Signatures a root needs; 1 ≤ threshold ≤ validatorSet.length.
    /// @param forcedDeadlineSeconds Seconds before an unprocessed forced request lets anyone freeze the vault; > 0.
    /// @param tokenSet Accepted ERC-20 collateral; distinct and non-zero.
    constructor(
        bytes32 domainSeparator,
        address[] memory validatorSet,
        uint16 signatureThreshold,
        uint64 forcedDeadlineSeconds,
        address[] memory tokenSet
    ) {
        if (validatorSet.length == 0) revert NoValidators();
        if (signatureThreshold == 0 || signatureThreshold > validatorSet.length) {
            revert InvalidThreshold(signatureThreshold, validatorSet.length);
        }
        if (forcedDeadlineSeconds == 0) revert InvalidForcedDeadline();
        for (uint256 i = 0; i < validatorSet.length; i++) {
            address v = validatorSet[i];
            if (v == address(0) || isValidator[v]) revert InvalidValidator(v);
            isValidator[v] = true;
        }
        for (uint256 i = 0; i < tokenSet.length; i++) {
            address t = tokenSet[i];
            if (t == address(0) || isToken[t]) revert InvalidToken(t);
            isToken[t] = true;
        }
        solventDomainSeparator = domainSeparator;
        threshold = signatureThreshold;
        forcedDeadline = forcedDeadlineSeconds;
        _validators = validatorSet;
        _tokens = tokenSet;
    }

    /// @notice The validator set fixed at deployment.
    function validators() external view returns (address[] memory) {
        return _validators;
    }

    /// @notice The accepted tokens fixed at deployment.
    function tokens() external view returns (address[] memory) {
        return _tokens;
    }

    /// @notice Whether withdrawal `withdrawalId` has been paid.
    function isClaimed(uint64 withdrawalId) public view returns (bool) {
        return _claimedBitmap[withdrawalId >> 8] & (1 << (withdrawalId & 0xff)) != 0;
    }

    /// @notice The EIP-712 digest validators sign for `a`.
    function attestationDigest(Attestation calldata a) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(ATTESTATION_TYPEHASH, a.height, a.stateRoot, a.withdrawalsRoot, a.exitRoot, a.forcedRoot)
        );
        return MessageHashUtils.toTypedDataHash(solventDomainSeparator, structHash);
    }

    /// @notice Pulls `amount` of `token` from the caller and credits it to (caller, subaccount) on Solvent.
    /// @dev The vault must receive exactly `amount` (fee-on-transfer and rebasing-down tokens revert).
    function deposit(address token, uint256 amount, uint32 subaccount) external nonReentrant {
        if (frozen) revert VaultFrozen();
        if (!isToken[token]) revert UnknownToken(token);
        if (amount == 0) revert ZeroAmount();
        uint64 id = depositCount;
        depositCount = id + 1;
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != amount) revert TransferShortfall(amount, received);
        emit Deposited(id, msg.sender, subaccount, token, amount);
    }

    /// @notice Asks Solvent to withdraw `amount` of `token` from (caller, subaccount). If the validators do not count
    /// it as processed within `forcedDeadline` seconds, anyone may freeze the vault.
    function requestForcedWithdrawal(address token, uint256 amount, uint32 subaccount) external {
        if (frozen) revert VaultFrozen();
        if (!isToken[token]) revert UnknownToken(token);
        if (amount == 0) revert ZeroAmount();
        uint64 id = forcedRequestCount;
        forcedRequestCount = id + 1;
        uint64 requestedAt = uint64(block.timestamp);
        forcedRequestedAt[id] = requestedAt;
        emit ForcedWithdrawalRequested(id, msg.sender, subaccount, token, amount, requestedAt);
    }

    /// @notice Accepts a newer root signed by at least `threshold` distinct validators, ordered by strictly increasing
    /// signer address. `forcedChainIds` (strictly ascending) and `forcedCounts` are the preimage of `a.forcedRoot`;
    /// this vault's processed count is the entry for `block.chainid` (0 if absent).
    function commitRoot(
        Attestation calldata a,
        uint256[] calldata forcedChainIds,
        uint64[] calldata forcedCounts,
        bytes[] calldata signatures
    ) external {
        if (frozen) revert VaultFrozen();
        if (hasRoot && a.height <= lastHeight) revert StaleHeight(a.height, lastHeight);
        if (forcedChainIds.length != forcedCounts.length) {
            revert ForcedArraysLengthMismatch(forcedChainIds.length, forcedCounts.length);
        }
        bytes32 computed = keccak256(abi.encode(forcedChainIds, forcedCounts));
        if (computed != a.forcedRoot) revert ForcedRootMismatch(a.forcedRoot, computed);
        uint64 processed = 0;
        for (uint256 i = 0; i < forcedChainIds.length; i++) {
            if (i > 0 && forcedChainIds[i] <= forcedChainIds[i - 1]) revert ForcedChainIdsNotAscending(i);
            if (forcedChainIds[i] == block.chainid) processed = forcedCounts[i];
        }
        // A root may not claim requests that do not exist here, nor un-process requests it already counted.
        if (processed > forcedRequestCount) revert ForcedCountAhead(processed, forcedRequestCount);
        if (processed < processedForcedCount) revert ForcedCountDecreased(processed, processedForcedCount);

        if (signatures.length < threshold) revert NotEnoughSignatures(signatures.length, threshold);
        bytes32 digest = attestationDigest(a);
        address previous = address(0);
        for (uint256 i = 0; i < signatures.length; i++) {
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError) revert InvalidSignature(i);
            if (!isValidator[signer]) revert NotValidator(i, signer);
            if (signer == previous) revert DuplicateSigner(i, signer);
            if (signer < previous) revert SignersNotAscending(i, signer);
            previous = signer;
        }

        lastHeight = a.height;
        processedForcedCount = processed;
        hasRoot = true;
        stateRoot = a.stateRoot;
        withdrawalsRoot = a.withdrawalsRoot;
        exitRoot = a.exitRoot;
        emit RootAccepted(a.height, a.stateRoot, a.withdrawalsRoot, a.exitRoot);
    }

    /// @notice Pays withdrawal `r` to `r.recipient`, once, given its 32 siblings (bottom-up) in the withdrawals tree of
    /// the last accepted root. Anyone may submit it; works while frozen.
    function claim(WithdrawalRecord calldata r, bytes32[] calldata proof) external nonReentrant {
        if (r.chainId != block.chainid) revert WrongChain(r.chainId);
        if (proof.length != WITHDRAWAL_TREE_DEPTH) revert InvalidProofLength(proof.length);
        if (r.id >> WITHDRAWAL_TREE_DEPTH != 0) revert InvalidProof();
        uint256 word = r.id >> 8;
        uint256 bit = 1 << (r.id & 0xff);
        uint256 bits = _claimedBitmap[word];
        if (bits & bit != 0) revert AlreadyClaimed(r.id);
        bytes32 leaf = keccak256(abi.encode(r.id, r.recipient, r.chainId, r.token, r.amount));
        if (_fold(leaf, r.id, proof) != withdrawalsRoot) revert InvalidProof();

        _claimedBitmap[word] = bits | bit;
        emit Claimed(r.id, r.recipient, r.token, r.amount);
        IERC20(r.token).safeTransfer(r.recipient, r.amount);
    }

    /// @notice Anyone may freeze the vault once forced request `requestId` is past its deadline and the last accepted
    /// root does not count it as processed. Freezing is permanent: deposits and roots stop; claims and exits remain.
    function freeze(uint64 requestId) external {
        if (frozen) revert VaultFrozen();
        if (requestId >= forcedRequestCount) revert UnknownRequest(requestId);
        if (requestId < processedForcedCount) revert RequestProcessed(requestId, processedForcedCount);
        uint256 freezableAfter = uint256(forcedRequestedAt[requestId]) + forcedDeadline;
        if (block.timestamp <= freezableAfter) revert DeadlineNotPassed(requestId, freezableAfter);
        frozen = true;
        emit Frozen(requestId);
    }

    /// @notice After a freeze, pays `leaf.owner` its exit leaf proven at position `index` (siblings bottom-up) against
    /// the last accepted exit root; once per (owner, token).
    function exit(ExitLeaf calldata leaf, uint256 index, bytes32[] calldata proof) external nonReentrant {
        if (!frozen) revert NotFrozen();
        if (leaf.chainId != block.chainid) revert WrongChain(leaf.chainId);
        if (proof.length > MAX_EXIT_TREE_DEPTH) revert InvalidProofLength(proof.length);
        if (index >> proof.length != 0) revert InvalidProof();
        if (hasExited[leaf.owner][leaf.token]) revert AlreadyExited(leaf.owner, leaf.token);
        bytes32 node = keccak256(abi.encode(leaf.owner, leaf.chainId, leaf.token, leaf.amount));
        if (_fold(node, index, proof) != exitRoot) revert InvalidProof();

        hasExited[leaf.owner][leaf.token] = true;
        emit Exited(leaf.owner, leaf.token, leaf.amount);
        IERC20(leaf.token).safeTransfer(leaf.owner, leaf.amount);
    }

    /// @dev Folds `node` at `index` up through `proof` (siblings bottom-up); bit i of `index` set = node is the right child.
    function _fold(bytes32 node, uint256 index, bytes32[] calldata proof) private pure returns (bytes32) {
        for (uint256 i = 0; i < proof.length; i++) {
            node = (index >> i) & 1 == 0
                ? Hashes.efficientKeccak256(node, proof[i])
                : Hashes.efficientKeccak256(proof[i], node);
        }
        return node;
    }
}
