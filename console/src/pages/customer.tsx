import { ContractList } from '../components/contract-list';
import { Section, Status } from '../components/layout';
import { Id } from '../components/text';
import { useLookup, usePageTitle } from '../hooks';
import { href } from '../router';
import type { ContractsResponse, CustomersResponse } from '../types';

const enc = encodeURIComponent;

/** A customer: the name (as the latest contract gives it) and each contract's line and status. */
export function CustomerPage({ customerId }: { customerId: string }) {
  const list = useLookup<ContractsResponse>(`/customers/${enc(customerId)}/contracts`);
  const contracts = list.data?.contracts ?? [];
  const latest = [...contracts].sort((a, b) => (a.startDate < b.startDate ? 1 : a.startDate > b.startDate ? -1 : 0))[0];
  const name = latest?.customer.name ?? null;
  usePageTitle(name ? `${name} 様` : `顧客 ${customerId}`);
  return (
    <Section title={name ? `${name} の契約` : '顧客の契約'}>
      <p>
        顧客ID <Id>{customerId}</Id>
        {list.data && `、契約 ${contracts.length}件`}
      </p>
      <Status {...list} />
      {list.data && <ContractList contracts={contracts} testId="customer-contracts" />}
    </Section>
  );
}

/** The name search (interface §7.3): customers whose name starts with what was typed, legal forms and width ignored. */
export function CustomerSearchPage({ namePrefix }: { namePrefix: string }) {
  usePageTitle(`顧客名「${namePrefix}」の検索結果`);
  const found = useLookup<CustomersResponse>(`/customers?namePrefix=${enc(namePrefix)}&limit=50`);
  const customers = found.data?.customers ?? [];
  return (
    <Section title={`顧客名「${namePrefix}」の検索結果`}>
      <Status {...found} fields={{ namePrefix: '顧客名' }} />
      {found.data &&
        (customers.length === 0 ? (
          <p>該当する顧客はありません。名前の先頭から入力しているか確認してください。</p>
        ) : (
          <ul class="customers" data-testid="customers">
            {customers.map((customer) => (
              <li key={customer.customerId}>
                <a href={href.customer(customer.customerId)}>{customer.name}</a> (顧客ID <Id>{customer.customerId}</Id>)
                <ContractList contracts={customer.contracts} />
              </li>
            ))}
          </ul>
        ))}
      {found.data?.nextToken && <p class="hint">ほかにも該当する顧客があります。名前をもう少し長く入力して絞り込んでください。</p>}
    </Section>
  );
}
