import { useEffect, useState } from 'preact/hooks';
import { BillingRunPage } from './pages/billing-run';
import { ContractPage } from './pages/contract';
import { CustomerPage, CustomerSearchPage } from './pages/customer';
import { InvoicePage } from './pages/invoice';
import { LinePage } from './pages/line';
import { OrderPage } from './pages/order';
import { RenewalsPage } from './pages/renewals';
import { SearchPage } from './pages/search';
import { TariffPage } from './pages/tariff';
import { href, routeKey, routeOf, type Route } from './router';

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'search':
      return <SearchPage />;
    case 'contract':
      return <ContractPage contractId={route.contractId} />;
    case 'line':
      return <LinePage lineId={route.lineId} />;
    case 'customer':
      return <CustomerPage customerId={route.customerId} />;
    case 'customer-search':
      return <CustomerSearchPage namePrefix={route.namePrefix} />;
    case 'order':
      return <OrderPage orderId={route.orderId} />;
    case 'invoice':
      return <InvoicePage invoiceId={route.invoiceId} />;
    case 'billing-run':
      return <BillingRunPage month={route.month} />;
    case 'tariff':
      return <TariffPage />;
    case 'renewals':
      return <RenewalsPage />;
  }
}

/**
 * The customer-service console (docs/interface.md §6, §7.5): the menu, and the screen the
 * address names. Everything in Japanese; every amount labelled 税抜 or 税込.
 */
export function App({ signOut }: { signOut: (() => void) | null }) {
  const [route, setRoute] = useState<Route>(routeOf(location.hash));
  useEffect(() => {
    const onHash = () => {
      setRoute(routeOf(location.hash));
      scrollTo(0, 0);
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return (
    <>
      <header class="no-print">
        <h1>セキュリティおまかせプラン 契約照会</h1>
        <nav aria-label="メニュー">
          <a href={href.search()}>検索</a>
          <a href={href.billingRun()}>月次請求</a>
          <a href={href.tariff()}>料金表</a>
          <a href={href.renewals()}>更新月の契約</a>
          {signOut && (
            <button type="button" class="link" onClick={signOut}>
              サインアウト
            </button>
          )}
        </nav>
      </header>
      <main>
        <Screen route={route} key={routeKey(route)} />
      </main>
    </>
  );
}
