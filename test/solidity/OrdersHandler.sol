// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Eip712AttestationVerifier} from "../../contracts/tcb/Eip712AttestationVerifier.sol";
import {IOfferRegistry} from "../../contracts/interfaces/IOfferRegistry.sol";
import {IOffers, OfferType} from "../../contracts/interfaces/IOffers.sol";
import {IOrderReports, RuntimeType} from "../../contracts/interfaces/IOrderReports.sol";
import {IOrders} from "../../contracts/interfaces/IOrders.sol";
import {ISlots, PriceType} from "../../contracts/interfaces/ISlots.sol";
import {ITcbRegistry} from "../../contracts/interfaces/ITcbRegistry.sol";
import {OrderStatus, OrderStatusTransitions} from "../../contracts/libraries/OrderStatusTransitions.sol";
import {TestPaymentToken} from "../../contracts/mocks/TestPaymentToken.sol";
import {OfferRegistry} from "../../contracts/offers/OfferRegistry.sol";
import {Orders} from "../../contracts/orders/Orders.sol";
import {TcbRegistry} from "../../contracts/tcb/TcbRegistry.sol";
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
    /// @notice The offer registry.
    OfferRegistry public immutable REGISTRY;
    /// @notice The attestation verifier.
    Eip712AttestationVerifier public immutable VERIFIER;
    /// @notice The TCB registry.
    TcbRegistry public immutable TCB_REGISTRY;
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

    /// @notice Set when a terminal order or suborder changed status.
    bool public terminalChanged;
    /// @notice Set when a report was accepted although its TCB was not the valid active one.
    bool public reportUnderInvalidTcb;
    mapping(uint256 id => OrderStatus) internal _terminalSeen;
    mapping(uint256 id => bool) internal _isTerminalSeen;

    /// @notice Deploys and sets up the marketplace; the handler is its admin.
    constructor() {
        TOKEN = new TestPaymentToken();
        REGISTRY = new OfferRegistry();
        VERIFIER = new Eip712AttestationVerifier(address(this));
        TCB_REGISTRY = new TcbRegistry(address(this), REGISTRY, VERIFIER, 1 days);
        ORDERS = new Orders(TOKEN, REGISTRY, TCB_REGISTRY, 6 hours);
        REGISTRY.bindOrders(address(ORDERS));
        VERIFIER.setSigner(vm.addr(ATTESTOR_KEY), true);
        TCB_REGISTRY.setMeasurement(MEASUREMENT, true);

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
        teeKey = FIRST_TEE_KEY;
        _publishTcb();

        TOKEN.mint(ALICE, 1e30);
        vm.prank(ALICE);
        TOKEN.approve(address(ORDERS), type(uint256).max);
    }

    /* ACTIONS */
    // Every action computes its arguments before `vm.prank`: the prank applies to the very next
    // call, which must be the action itself.

    /// @notice Alice places a workflow with up to three inputs and a deposit above the minimum.
    /// @param inputsSeed Picks the number and kind of inputs.
    /// @param extraDeposit Added to the minimum deposit (bounded).
    function createWorkflow(uint256 inputsSeed, uint256 extraDeposit) external {
        uint256 count = inputsSeed % 4;
        IOfferRegistry.WorkflowInput[] memory inputs = new IOfferRegistry.WorkflowInput[](count);
        uint256 deposit = 10e18 + (extraDeposit % 200e18);
        for (uint256 i = 0; i < count; ++i) {
            bool manual = (inputsSeed >> (i + 2)) & 1 == 1;
            inputs[i] =
                manual
                    ? IOfferRegistry.WorkflowInput(manualOfferId, manualSlotId)
                    : IOfferRegistry.WorkflowInput(autoOfferId, autoSlotId);
            deposit += manual ? 5e18 : 1e18;
        }
        vm.prank(ALICE);
        try ORDERS.createWorkflow(teeOfferId, teeSlotId, SOLUTION_HASH, inputs, deposit, "args") {} catch {}
        _record();
    }

    /// @notice Bob completes a suborder: Done with the right or a wrong hash, Error or Canceled.
    /// @param idSeed Picks the id.
    /// @param choice Picks the status and the hash.
    function completeSuborder(uint256 idSeed, uint256 choice) external {
        OrderStatus status = [OrderStatus.Done, OrderStatus.Done, OrderStatus.Error, OrderStatus.Canceled][
            choice % 4
        ];
        bytes32 solutionHash = choice % 8 == 1 ? bytes32(0) : SOLUTION_HASH;
        bytes32 dataHash = (choice >> 3) & 1 == 1 ? DATASET_HASH : bytes32(0);
        uint256 suborderId = _id(idSeed);
        vm.prank(BOB);
        try ORDERS.completeSuborder(suborderId, status, solutionHash, dataHash, "resource") {} catch {}
        _record();
    }

    /// @notice The TEE starts an order.
    /// @param idSeed Picks the id.
    function startOrder(uint256 idSeed) external {
        uint256 orderId = _id(idSeed);
        vm.prank(CAROL);
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

    /// @notice The TEE publishes a report, signed with the current TEE key, for the active TCB or a
    /// stale one, with the dataset hash or without it.
    /// @param idSeed Picks the id.
    /// @param choice Picks the TCB and the entries.
    function publishReport(uint256 idSeed, uint256 choice) external {
        uint256 orderId = _id(idSeed);
        uint256 activeTcb = TCB_REGISTRY.activeTcbOf(teeOfferId);
        uint256 tcbId = choice % 3 == 0 && activeTcb > 1 ? activeTcb - 1 : activeTcb;
        IOrderReports.RuntimeInfo[] memory entries = new IOrderReports.RuntimeInfo[](
            (choice >> 2) & 1 == 1 ? 2 : 1
        );
        entries[0] = IOrderReports.RuntimeInfo(RuntimeType.Image, 1, SOLUTION_HASH);
        if (entries.length == 2) entries[1] = IOrderReports.RuntimeInfo(RuntimeType.Data, 1, DATASET_HASH);
        IOrderReports.OrderReport memory report = IOrderReports.OrderReport(orderId, tcbId, 1, entries);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(teeKey, ORDERS.orderReportDigest(report));
        bool validBefore = TCB_REGISTRY.isTcbValid(tcbId) && tcbId == activeTcb;
        vm.prank(CAROL);
        try ORDERS.publishOrderReport(orderId, report, abi.encodePacked(r, s, v)) {
            if (!validBefore) reportUnderInvalidTcb = true;
        } catch {}
        _record();
    }

    /// @notice The TEE completes an order with Done, Error or Canceled.
    /// @param idSeed Picks the id.
    /// @param choice Picks the status.
    function completeOrder(uint256 idSeed, uint256 choice) external {
        OrderStatus status = [OrderStatus.Done, OrderStatus.Error, OrderStatus.Canceled][choice % 3];
        uint256 orderId = _id(idSeed);
        vm.prank(CAROL);
        try ORDERS.completeOrder(orderId, status, keccak256("result"), "result") {} catch {}
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

    /// @notice The admin revokes the active TCB, or the TEE publishes a new one with a new key.
    /// @param republish Whether to publish rather than revoke.
    function rotateTcb(bool republish) external {
        if (republish) {
            ++teeKey;
            _publishTcb();
        } else {
            try TCB_REGISTRY.revokeTcb(TCB_REGISTRY.activeTcbOf(teeOfferId)) {} catch {}
        }
        _record();
    }

    /* VIEWS */

    /// @notice Everyone the escrow may owe a balance to.
    /// @return accounts Alice, Bob and Carol.
    function payees() public pure returns (address[3] memory accounts) {
        return [ALICE, BOB, CAROL];
    }

    /* INTERNAL */

    /// @dev An id among those handed out so far (0 when none), so actions hit real orders.
    function _id(uint256 seed) internal view returns (uint256) {
        uint256 count = ORDERS.orderCount();
        return count == 0 ? 0 : 1 + (seed % count);
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
        uint128 price,
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

    function _publishTcb() internal {
        address key = vm.addr(teeKey);
        bytes memory publicKey = abi.encodePacked(key);
        bytes memory quote = abi.encodePacked("quote", teeKey);
        bytes32 reportData = TCB_REGISTRY.reportDataFor(key, publicKey);
        uint64 expiry = uint64(block.timestamp + 1 hours);
        bytes32 digest = VERIFIER.attestationDigest(keccak256(quote), reportData, MEASUREMENT, expiry);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ATTESTOR_KEY, digest);
        vm.prank(CAROL);
        TCB_REGISTRY.publishTcb(
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
    }
}
