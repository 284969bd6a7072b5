/** Supervision actions in escalating order (spec §6). */
export const ACTION_LEVELS: Record<string, { label: string; color: string }> = {
  reminder: { label: "提醒", color: "blue" },
  urge: { label: "催办", color: "gold" },
  notice: { label: "督办单", color: "orange" },
  interview: { label: "约谈", color: "volcano" },
  bulletin: { label: "通报批评", color: "red" },
  referral: { label: "问责移送", color: "magenta" },
};

export const COORDINATION_STATUS: Record<string, { label: string; color: string }> = {
  submitted: { label: "待协调", color: "gold" },
  answered: { label: "已出具协调意见", color: "green" },
  referred: { label: "已呈报领导", color: "purple" },
  decided: { label: "领导已批示", color: "green" },
};

/** The next level up from the strongest action a unit has received on a task. */
export function nextLevel(received: readonly string[]): string {
  const order = Object.keys(ACTION_LEVELS);
  const top = Math.max(-1, ...received.map((l) => order.indexOf(l)));
  return order[Math.min(top + 1, order.length - 1)];
}
