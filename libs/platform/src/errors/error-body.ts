/** Kill Bill's error JSON (spec 0.4), plus the documented `formattedMsg`. */
export interface KillBillErrorBody {
  className: string;
  code: number | null;
  message: string;
  formattedMsg: string;
  causeClassName: string | null;
  causeMessage: string | null;
  stackTrace: unknown[];
}

export function errorBody(className: string, code: number | null, message: string, cause?: { className: string; message: string }): KillBillErrorBody {
  return {
    className,
    code,
    message,
    formattedMsg: message,
    causeClassName: cause?.className ?? null,
    causeMessage: cause?.message ?? null,
    stackTrace: [],
  };
}
