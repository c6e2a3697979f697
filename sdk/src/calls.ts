/**
 * Calls as data: every write of the SDK has a builder (`createWorkflowCall(ctx, params)`, bound as
 * `client.calls.createWorkflow(params)`) that checks the parameters as the write does and returns
 * the contract call `{ address, abi, functionName, args }` instead of sending it, for a multisig
 * (Safe), a batcher (EIP-5792 `sendCalls`), a relayer, or viem's own `writeContract`.
 */
import type { Abi, Address, ContractFunctionArgs, ContractFunctionName } from "viem";

/**
 * One contract call, as viem's `writeContract`, `simulateContract` and `encodeFunctionData` take it:
 * the contract's address, its whole ABI (`as const`, so the types follow), the function and its
 * arguments.
 *
 * @example
 * const call = client.calls.cancelOrder({ orderId: 7n });
 * const data = encodeFunctionData(call); // for a Safe transaction
 * await walletClient.writeContract(call); // or send it yourself
 */
export interface MarketplaceCall<
  abi extends Abi = Abi,
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable"> = ContractFunctionName<
    abi,
    "nonpayable" | "payable"
  >,
> {
  address: Address;
  abi: abi;
  functionName: functionName;
  args: ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>;
}
