import { Column, type ColumnOptions, type ValueTransformer } from 'typeorm';
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';

/** PostgreSQL returns bigint as a string; record ids stay well within the safe integer range. */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** numeric ↔ Big: money never goes through a JS number. */
export const numericToBig: ValueTransformer = {
  to: (value: Big | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | null) => (value === null ? null : new Big(value)),
};

export const RecordIdColumn = (): PropertyDecorator =>
  Column({ type: 'bigint', name: 'record_id', primary: true, generated: 'increment', transformer: bigintToNumber });

export const RecordRefColumn = (options: ColumnOptions = {}): PropertyDecorator => Column({ type: 'bigint', transformer: bigintToNumber, ...options });

export const MoneyColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  Column({ type: 'numeric', precision: 15, scale: 9, transformer: numericToBig, ...options });

export const InstantColumn = (options: ColumnOptions = {}): PropertyDecorator => Column({ type: 'timestamptz', ...options });

/** PostgreSQL `date` ↔ js-joda LocalDate: billing days never pass through a JS Date and its zone. */
export const dateToLocalDate: ValueTransformer = {
  to: (value: LocalDate | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | null) => (value === null ? null : LocalDate.parse(value)),
};

export const LocalDateColumn = (options: ColumnOptions = {}): PropertyDecorator => Column({ type: 'date', transformer: dateToLocalDate, ...options });
