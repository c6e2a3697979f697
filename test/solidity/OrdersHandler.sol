// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Eip712AttestationVerifier} from "../../contracts/tcb/Eip712AttestationVerifier.sol";
import {
    OfferType,
    OrderStatus,
    PriceType,
    RuntimeType
} from "../../contracts/interfaces/MarketplaceTypes.sol";
import {IOfferRegistry} from "../../contracts/interfaces/IOfferRegistry.sol";
import {IOffers} from "../../contracts/interfaces/IOffers.sol";
import {IOrderReports} from "../../contracts/interfaces/IOrderReports.sol";
import {IOrders} from "../../contracts/interfaces/IOrders.sol";
import {ISlots} from "../../contracts/interfaces/ISlots.sol";
import {ITcbRegistry} from "../../contracts/interfaces/ITcbRegistry.sol";
import {OrderStatusTransitions} from "../../contracts/libraries/OrderStatusTransitions.sol";
import {TestPaymentToken} from "../../contracts/mocks/TestPaymentToken.sol";
import {OfferRegistry} from "../../contracts/offers/OfferRegistry.sol";
import {Orders} from "../../contracts/orders/Orders.sol";
import {vm} from "./utils/Vm.sol";

/// @title OrdersHandler
/// @notice Drives the marketplace with random, bounded actions of its cast (a consumer, a data
/// owner, a TEE provider and its TEE key, an admin) and records what the invariants check after
/// every action. Failing actions are expected and ignored: only their effects would matter.
contract OrdersHandler {
    bytes32 internal constant SOLUTION_HASH = keccak256("solution");
    bytes32 internal constant DATASET_HASH = keccak256("dataset");
    bytes32 internal constant MEASUREMENT = keccak256("enclave");
    uint256 internal constant ATTESTOR_KEY = 0xA11CE;
    uint256 internal constant FIRST_TEE_KEY = 0x7EE;

    /// @notice The payment token.
    TestPaymentToken public immutable TOKEN;
    /// @notice The offer registry, which holds the TCBs (created by the Orders contract).
    OfferRegistry public immutable REGISTRY;
    /// @notice The attestation verifier.
    Eip712AttestationVerifier public immutable VERIFIER;
    /// @notice The Orders contract under test.
    Orders public immutable ORDERS;

    address internal constant ALICE = address(0xA11);
    address internal constant BOB = address(0xB0B);
    address internal constant CAROL = address(0xCA201);

    uint256 internal teeOfferId;
    uint256 internal teeSlotId;
    uint256 internal manualOfferId;
    uint256 internal manualSlotId;
    uint256 internal autoOfferId;
    uint256 internal autoSlotId;
    uint256 internal teeKey;
    /// @dev Every TEE key published so far, and the expiry of the last attestation of each.
    uint256[] internal _teeKeys;
    mapping(address key => uint256 privateKey) internal _privateKeyOf;
    uint64 internal _lastExpiry;

    /// @notice Only the handler itself may call `publishTcbAs`.
    /// @param caller The caller.
    error NotSelf(address caller);

    /// @notice Set when a terminal order or suborder changed status.
    bool public terminalChanged;
    /// @notice Set when a report was accepted although it was not signed by the order's enclave key
    /// while that key was valid.
    bool public reportByUnapprovedTee;
    /// @notice Set when an order completed Done without a receipt signed by its valid enclave key.
    bool public doneWithoutEnclaveReceipt;
    /// @notice Set when a revoked TEE key's attestation was accepted again.
    bool public revokedKeyRepublished;
    mapping(uint256 id => OrderStatus) internal _terminalSeen;
    mapping(uint256 id => bool) internal _isTerminalSeen;

    /// @notice Deploys and sets up the marketplace; the handler is its admin.
    constructor() {
        TOKEN = new TestPaymentToken();
        VERIFIER = new Eip712AttestationVerifier(address(this));
        ORDERS = new Orders(TOKEN, address(this), VERIFIER, 1 days, 6 hours, 2 hours);
        REGISTRY = OfferRegistry(address(ORDERS.offerRegistry()));
        VERIFIER.setSigner(vm.addr(ATTESTOR_KEY), true);
        REGISTRY.setMeasurement(MEASUREMENT, true);

        vm.prank(BOB);
        REGISTRY.registerProvider("bob", BOB, BOB);
        vm.prank(CAROL);
        REGISTRY.registerProvider("carol", CAROL, CAROL);
        (teeOfferId, teeSlotId) = _offer(
            CAROL,
            OfferType.TeeOffer,
            bytes32(0),
            "",
            PriceType.PerHour,
            60e18,
            10,
            120
        );
        (manualOfferId, manualSlotId) = _offer(
            BOB,
            OfferType.Data,
            DATASET_HASH,
            "",
            PriceType.Fixed,
            5e18,
            0,
            0
        );
        (autoOfferId, autoSlotId) = _offer(
            BOB,
            OfferType.Data,
            DATASET_HASH,
            "public",
            PriceType.Fixed,
            1e18,
            0,
            0
        );
        // Two enclaves from the start (the second active), so a wrong signer is always at hand.
        teeKey = FIRST_TEE_KEY;
        _publishTcb();
        teeKey = FIRST_TEE_KEY + 1;
        _publishTcb();

        TOKEN.mint(ALICE, 1e30);
        vm.prank(ALICE);
        TOKEN.approve(address(ORDERS), type(uint256).max);
    }

    /* ACTIONS */
    // Every action computes its arguments before `vm.prank`: the prank applies to the very next
    // call, which must be the action itself.

    /// @notice Alice places a workflow with up to three inputs and a deposit above the minimum, on
    /// the offer's active enclave (or a stale key, which must be refused).
    /// @param inputsSeed Picks the number and kind of inputs.
    /// @param extraDeposit Added to the minimum deposit (bounded).
    function createWorkflow(uint256 inputsSeed, uint256 extraDeposit) external {
        uint256 count = inputsSeed % 4;
        IOfferRegistry.WorkflowInput[] memory inputs = new IOfferRegistry.WorkflowInput[](count);
        uint256 deposit = 10e18 + (extraDeposit % 200e18);
        for (uint256 i = 0; i < count; ++i) {
            bool manual = (inputsSeed >> (i + 2)) & 1 == 1;
            (uint256 offerId, uint256 slotId) = manual
                ? (manualOfferId, manualSlotId)
                : (autoOfferId, autoSlotId);
            inputs[i] = IOfferRegistry.WorkflowInput(offerId, slotId, REGISTRY.slotTermsHash(slotId));
            deposit += manual ? 5e18 : 1e18;
        }
        bytes[] memory recipients = new bytes[](1);
        recipients[0] = abi.encodePacked(bytes1(0x02), keccak256("alice"));
        IOrders.WorkflowParams memory params = IOrders.WorkflowParams({
            teeOfferId: teeOfferId,
            teeSlotId: teeSlotId,
            teeTermsHash: REGISTRY.slotTermsHash(teeSlotId),
            teeKey: (inputsSeed >> 8) & 3 == 0 && _teeKeys.length > 1
                ? vm.addr(_teeKeys[0])
                : vm.addr(teeKey),
            solutionHash: SOLUTION_HASH,
            inputs: inputs,
            deposit: deposit,
            resultRecipients: recipients,
            encryptedArgs: "args"
        });
        vm.prank(ALICE);
        try ORDERS.createWorkflow(params) {} catch {}
        _record();
    }

    /// @notice Bob completes a suborder: Done with the right or a wrong hash or enclave, Error or
    /// Canceled.
    /// @param idSeed Picks the id.
    /// @param choice Picks the status, the hash and the enclave.
    function completeSuborder(uint256 idSeed, uint256 choice) external {
        OrderStatus status = [OrderStatus.Done, OrderStatus.Done, OrderStatus.Error, OrderStatus.Canceled][
            choice % 4
        ];
        bytes32 solutionHash = choice % 8 == 1 ? bytes32(0) : SOLUTION_HASH;
        bytes32 dataHash = (choice >> 3) & 1 == 1 ? DATASET_HASH : bytes32(0);
        uint256 suborderId = _pick(idSeed, OrderStatus.New, false);
        address enclave = (choice >> 4) & 3 == 0 ? vm.addr(teeKey + 1000) : _enclaveOf(suborderId);
        vm.prank(BOB);
        try
            ORDERS.completeSuborder(suborderId, status, solutionHash, dataHash, enclave, "resource")
        {} catch {}
        _record();
    }

    /// @notice The TEE (its provider or its current key) starts an order.
    /// @param idSeed Picks the id.
    /// @param asKey Whether the current TEE key calls rather than the provider.
    function startOrder(uint256 idSeed, bool asKey) external {
        uint256 orderId = _pick(idSeed, OrderStatus.New, true);
        address caller = asKey ? vm.addr(teeKey) : CAROL;
        vm.prank(caller);
        try ORDERS.startOrder(orderId) {} catch {}
        _record();
    }

    /// @notice The TEE suspends or resumes an order.
    /// @param idSeed Picks the id.
    /// @param resume Whether to resume rather than suspend.
    function suspendOrResume(uint256 idSeed, bool resume) external {
        uint256 orderId = _id(idSeed);
        vm.prank(CAROL);
        if (resume) {
            try ORDERS.resumeOrder(orderId) {} catch {}
        } else {
            try ORDERS.suspendOrder(orderId) {} catch {}
        }
        _record();
    }

    /// @notice The TEE publishes a report signed with one of the keys published so far (the order's
    /// or another), naming that key's newest TCB, with the dataset hash or without it.
    /// @param idSeed Picks the id.
    /// @param choice Picks the key and the entries.
    function publishReport(uint256 idSeed, uint256 choice) external {
        uint256 orderId = _pick(idSeed, OrderStatus.Processing, true);
        uint256 key = _signingKey(orderId, choice);
        (ITcbRegistry.TeeKey memory record, ) = REGISTRY.getTeeKey(vm.addr(key));
        IOrderReports.RuntimeInfo[] memory entries = new IOrderReports.RuntimeInfo[](
            (choice >> 8) & 1 == 1 ? 2 : 1
        );
        entries[0] = IOrderReports.RuntimeInfo(RuntimeType.Image, 1, SOLUTION_HASH);
        if (entries.length == 2) entries[1] = IOrderReports.RuntimeInfo(RuntimeType.Data, 1, DATASET_HASH);
        IOrderReports.OrderReport memory report = IOrderReports.OrderReport(
            orderId,
            record.latestTcbId,
            1,
            entries
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, ORDERS.orderReportDigest(report));
        bool approvedAndValid = vm.addr(key) == _enclaveOf(orderId) && REGISTRY.isTeeKeyValid(vm.addr(key));
        vm.prank(CAROL);
        try ORDERS.publishOrderReport(orderId, report, abi.encodePacked(r, s, v)) {
            if (!approvedAndValid) reportByUnapprovedTee = true;
        } catch {}
        _record();
    }

    /// @notice The TEE completes an order with Done, Error or Canceled and a receipt signed by one of
    /// the keys published so far.
    /// @param idSeed Picks the id.
    /// @param choice Picks the status and the signing key.
    function completeOrder(uint256 idSeed, uint256 choice) external {
        OrderStatus status = [OrderStatus.Done, OrderStatus.Error, OrderStatus.Canceled][choice % 3];
        uint256 orderId = _pick(
            idSeed,
            status == OrderStatus.Canceled ? OrderStatus.Canceling : OrderStatus.Processing,
            true
        );
        uint256 key = _signingKey(orderId, choice >> 4);
        bytes[] memory pointers = new bytes[](status == OrderStatus.Canceled ? 0 : 1);
        if (pointers.length == 1) pointers[0] = "pointer";
        IOrderReports.ResultReceipt memory receipt = IOrderReports.ResultReceipt(
            orderId,
            keccak256("result"),
            pointers
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, ORDERS.resultReceiptDigest(receipt));
        bool enclaveSigned = vm.addr(key) == _enclaveOf(orderId) && REGISTRY.isTeeKeyValid(vm.addr(key));
        vm.prank(CAROL);
        try ORDERS.completeOrder(orderId, status, receipt, abi.encodePacked(r, s, v)) {
            if (status == OrderStatus.Done && !enclaveSigned) doneWithoutEnclaveReceipt = true;
        } catch {}
        _record();
    }

    /// @notice Alice cancels an order.
    /// @param idSeed Picks the id.
    function cancelOrder(uint256 idSeed) external {
        uint256 orderId = _id(idSeed);
        vm.prank(ALICE);
        try ORDERS.cancelOrder(orderId) {} catch {}
        _record();
    }

    /// @notice Alice forces the refund of an order.
    /// @param idSeed Picks the id.
    function forceRefund(uint256 idSeed) external {
        uint256 orderId = _id(idSeed);
        vm.prank(ALICE);
        try ORDERS.forceRefund(orderId) {} catch {}
        _record();
    }

    /// @notice Carol (or anyone) expires a Blocked order.
    /// @param idSeed Picks the id.
    function expireBlockedOrder(uint256 idSeed) external {
        uint256 orderId = _id(idSeed);
        vm.prank(CAROL);
        try ORDERS.expireBlockedOrder(orderId) {} catch {}
        _record();
    }

    /// @notice Alice tops up an order.
    /// @param idSeed Picks the id.
    /// @param amount Amount (bounded).
    function refillOrder(uint256 idSeed, uint256 amount) external {
        uint256 orderId = _id(idSeed);
        vm.prank(ALICE);
        try ORDERS.refillOrder(orderId, amount % 50e18) {} catch {}
        _record();
    }

    /// @notice A payee withdraws.
    /// @param who Picks Alice, Bob or Carol.
    function withdraw(uint256 who) external {
        vm.prank(payees()[who % 3]);
        try ORDERS.withdraw() {} catch {}
        _record();
    }

    /// @notice Time passes (up to three hours).
    /// @param seconds_ Seconds to add (bounded).
    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + (seconds_ % 3 hours));
        _record();
    }

    /// @notice The admin revokes the active TCB (and its key); the TEE refreshes its TCB; a new
    /// enclave (a new key) takes over; or someone republishes a revoked key with a fresh attestation.
    /// @param action Picks one.
    function rotateTcb(uint8 action) external {
        action %= 4;
        if (action == 0) {
            try REGISTRY.revokeTcb(REGISTRY.activeTcbOf(teeOfferId)) {} catch {}
        } else if (action == 1) {
            try this.publishTcbAs(teeKey) {} catch {}
        } else if (action == 2) {
            ++teeKey;
            try this.publishTcbAs(teeKey) {} catch {}
        } else {
            uint256 key = _teeKeys[0];
            (ITcbRegistry.TeeKey memory record, ) = REGISTRY.getTeeKey(vm.addr(key));
            if (record.revokedBlock != 0) {
                try this.publishTcbAs(key) {
                    revokedKeyRepublished = true;
                } catch {}
            }
        }
        _record();
    }

    /// @notice Publishes a TCB for `key` (external so that actions can try it).
    /// @param key The TEE key's private key.
    function publishTcbAs(uint256 key) external {
        if (msg.sender != address(this)) revert NotSelf(msg.sender);
        uint256 previous = teeKey;
        teeKey = key;
        _publishTcb();
        teeKey = previous;
    }

    /* VIEWS */

    /// @notice Everyone the escrow may owe a balance to.
    /// @return accounts Alice, Bob and Carol.
    function payees() public pure returns (address[3] memory accounts) {
        return [ALICE, BOB, CAROL];
    }

    /// @notice Every TEE key published so far.
    /// @return keys Their addresses.
    function teeKeys() external view returns (address[] memory keys) {
        keys = new address[](_teeKeys.length);
        for (uint256 i = 0; i < keys.length; ++i) keys[i] = vm.addr(_teeKeys[i]);
    }

    /* INTERNAL */

    /// @dev An id among those handed out so far (0 when none), so actions hit real orders.
    function _id(uint256 seed) internal view returns (uint256) {
        uint256 count = ORDERS.orderCount();
        return count == 0 ? 0 : 1 + (seed % count);
    }

    /// @dev Half of the time any id (as `_id`), else the first id from a random start whose status
    /// is `status` (a parent order when `parent`, else a suborder), so that long action sequences
    /// reach the later steps of a workflow; any id when none has that status.
    function _pick(uint256 seed, OrderStatus status, bool parent) internal view returns (uint256) {
        uint256 count = ORDERS.orderCount();
        if (count == 0 || seed & 1 == 0) return _id(seed);
        uint256 start = (seed >> 1) % count;
        for (uint256 i = 0; i < count; ++i) {
            uint256 id = 1 + ((start + i) % count);
            if (_isParent(id) == parent && _statusOf(id) == status) return id;
        }
        return _id(seed);
    }

    function _isParent(uint256 id) internal view returns (bool) {
        try ORDERS.getOrder(id) returns (IOrders.Order memory) {
            return true;
        } catch {
            return false;
        }
    }

    /// @dev The enclave key of an order, or of a suborder's parent (zero for an unknown id).
    function _enclaveOf(uint256 id) internal view returns (address) {
        try ORDERS.getOrder(id) returns (IOrders.Order memory order) {
            return order.teeKey;
        } catch {}
        try ORDERS.getSuborder(id) returns (IOrders.Suborder memory suborder) {
            return ORDERS.getOrder(suborder.parentId).teeKey;
        } catch {}
        return address(0);
    }

    /// @dev The private key an action signs with: the order's enclave key half of the time (when it
    /// is one of ours), another published key otherwise.
    function _signingKey(uint256 orderId, uint256 choice) internal view returns (uint256) {
        uint256 enclave = _privateKeyOf[_enclaveOf(orderId)];
        if (choice & 1 == 0 && enclave != 0) return enclave;
        return _teeKeys[(choice >> 1) % _teeKeys.length];
    }

    /// @dev Remembers every terminal status seen and flags any later change.
    function _record() internal {
        uint256 count = ORDERS.orderCount();
        for (uint256 id = 1; id <= count; ++id) {
            OrderStatus status = _statusOf(id);
            if (_isTerminalSeen[id]) {
                if (status != _terminalSeen[id]) terminalChanged = true;
            } else if (OrderStatusTransitions.isTerminal(status)) {
                _isTerminalSeen[id] = true;
                _terminalSeen[id] = status;
            }
        }
    }

    function _statusOf(uint256 id) internal view returns (OrderStatus) {
        try ORDERS.getOrder(id) returns (IOrders.Order memory order) {
            return order.status;
        } catch {
            return ORDERS.getSuborder(id).status;
        }
    }

    function _offer(
        address provider,
        OfferType offerType,
        bytes32 contentHash,
        bytes memory resultResource,
        PriceType priceType,
        uint96 price,
        uint32 minTime,
        uint32 maxTime
    ) internal returns (uint256 offerId, uint256 slotId) {
        IOffers.OfferParams memory params;
        params.offerType = offerType;
        params.cancelable = true;
        params.contentHash = contentHash;
        params.resultResource = resultResource;
        params.info = "offer";
        vm.prank(provider);
        offerId = REGISTRY.createOffer(params);
        vm.prank(provider);
        slotId = REGISTRY.addSlot(
            offerId,
            ISlots.SlotInfo(1, 0, 0, 0, 0),
            ISlots.SlotUsage(price, priceType, minTime, maxTime),
            ISlots.OptionInfo(0, 0, 0)
        );
    }

    /// @dev Publishes a TCB for the current `teeKey`, attested with an expiry later than every
    /// earlier one (attestations are single use), and records the key.
    function _publishTcb() internal {
        address key = vm.addr(teeKey);
        bytes memory publicKey = abi.encodePacked(key);
        bytes memory quote = abi.encodePacked("quote", teeKey);
        bytes32 reportData = REGISTRY.reportDataFor(teeOfferId, key, publicKey);
        uint64 expiry = uint64(block.timestamp + 30 days);
        if (expiry <= _lastExpiry) expiry = _lastExpiry + 1;
        _lastExpiry = expiry;
        bytes32 digest = VERIFIER.attestationDigest(keccak256(quote), reportData, MEASUREMENT, expiry);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ATTESTOR_KEY, digest);
        vm.prank(CAROL);
        REGISTRY.publishTcb(
            ITcbRegistry.TcbParams({
                teeOfferId: teeOfferId,
                deviceId: bytes32(teeKey),
                teeKey: key,
                publicKey: publicKey,
                quote: quote,
                benchmark: 1,
                properties: "",
                proof: abi.encode(MEASUREMENT, expiry, abi.encodePacked(r, s, v))
            })
        );
        bool known = false;
        for (uint256 i = 0; i < _teeKeys.length; ++i) if (_teeKeys[i] == teeKey) known = true;
        if (!known) {
            _teeKeys.push(teeKey);
            _privateKeyOf[key] = teeKey;
        }
    }
}
