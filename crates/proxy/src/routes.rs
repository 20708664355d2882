//! What a caller may ask the proxy to do: one operation per upstream
//! endpoint, with its method, its path and whether pages get it by default.

use bdpay_api::http::Method;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Balance,
    Packages,
    Request,
    Status,
    Billers,
    Summary,
    Execute,
    Histories,
    Beneficiaries,
}

/// `(operation, method, path, exposed by default)`. `balance` shows the
/// merchant's wallet, `beneficiaries` the merchant's payees and `execute`
/// spends the wallet: server-side only unless configured.
pub const ROUTES: &[(Operation, Method, &str, bool)] = &[
    (
        Operation::Balance,
        Method::Get,
        "/api/gateway/v1/balance",
        false,
    ),
    (
        Operation::Packages,
        Method::Post,
        "/api/gateway/v1/packages",
        true,
    ),
    (
        Operation::Request,
        Method::Post,
        "/api/gateway/v1/request",
        true,
    ),
    (
        Operation::Status,
        Method::Post,
        "/api/gateway/v1/status",
        true,
    ),
    (
        Operation::Billers,
        Method::Get,
        "/api/v1/private/wallet/utility/billers",
        true,
    ),
    (
        Operation::Summary,
        Method::Get,
        "/api/v1/private/wallet/utility-bill-pay/summary",
        true,
    ),
    (
        Operation::Execute,
        Method::Post,
        "/api/v1/private/wallet/utility-bill-pay/execute",
        false,
    ),
    (
        Operation::Histories,
        Method::Post,
        "/api/v1/private/wallet/utility-bill-pay/histories",
        true,
    ),
    (
        Operation::Beneficiaries,
        Method::Get,
        "/api/v1/private/wallet/utility-bill-pay/beneficiaries",
        false,
    ),
];

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Balance => "balance",
            Operation::Packages => "packages",
            Operation::Request => "request",
            Operation::Status => "status",
            Operation::Billers => "billers",
            Operation::Summary => "summary",
            Operation::Execute => "execute",
            Operation::Histories => "histories",
            Operation::Beneficiaries => "beneficiaries",
        }
    }

    /// Every operation, in the routes' order.
    pub fn all() -> impl Iterator<Item = Operation> {
        ROUTES.iter().map(|r| r.0)
    }

    pub fn parse(s: &str) -> Option<Operation> {
        ROUTES.iter().map(|r| r.0).find(|o| o.as_str() == s)
    }

    /// Whether it spends the merchant's money.
    pub fn is_payment(self) -> bool {
        matches!(self, Operation::Request | Operation::Execute)
    }

    /// Whether it goes to the wallet API (and so uses the wallet's token).
    pub fn is_wallet(self) -> bool {
        matches!(
            self,
            Operation::Billers
                | Operation::Summary
                | Operation::Execute
                | Operation::Histories
                | Operation::Beneficiaries
        )
    }

    /// The operations pages get when the config names none.
    pub fn defaults() -> Vec<Operation> {
        ROUTES.iter().filter(|r| r.3).map(|r| r.0).collect()
    }
}

/// The route of a path, if any.
pub fn route(path: &str) -> Option<(Operation, Method)> {
    ROUTES.iter().find(|r| r.2 == path).map(|r| (r.0, r.1))
}
