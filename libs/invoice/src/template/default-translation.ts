/**
 * Kill Bill's built-in invoice translation (en_US), the bundle every lookup falls back to. Copied
 * verbatim from killbill/killbill `util/src/main/resources/org/killbill/billing/util/invoice/
 * translation/InvoiceTranslation_en_US.properties`, Apache License 2.0 (header kept below).
 */
export const KILLBILL_INVOICE_TRANSLATION_EN_US = String.raw`
#
# Copyright 2020-2020 Equinix, Inc
# Copyright 2014-2020 The Billing Project, LLC
#
# The Billing Project licenses this file to you under the Apache License, version 2.0
# (the "License"); you may not use this file except in compliance with the
# License.  You may obtain a copy of the License at:
#
#    http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.  See the
# License for the specific language governing permissions and limitations
# under the License.
#
invoiceEmailSubject=Your invoice
invoiceTitle=Invoice
invoiceDate=Invoice Date:
invoiceNumber=Invoice #
invoiceAmount=Total:
invoiceAmountPaid=Amount Paid:
invoiceBalance=Balance:

companyName=Killbill, Inc.
companyAddress=P.O. Box 1234
companyCityProvincePostalCode=Springfield
companyCountry=USA

invoiceItemDescription=Plan
invoiceItemServicePeriod=Service Period
invoiceItemAmount=Amount

customKey=Test customKey value`;

/**
 * Keys of this server's built-in template that Kill Bill's bundle has no text for. A tenant's
 * translation may set them like any other key (the template reads them through `text.properties`).
 */
export const BUILT_IN_TEMPLATE_TRANSLATION = String.raw`
invoiceBillTo=Bill To
invoiceCurrency=Currency:
`;
