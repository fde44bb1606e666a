-- Health of an Argo CD Application, for the app of apps. Without it, Argo CD
-- (since 1.8) takes a child Application as Healthy at once: waves do not wait.
-- Since 3.4.0 a child whose resources are still missing is Healthy when the
-- others are (argo-cd #25962), so a child still syncing or retrying (its
-- operation Running) is Progressing here: the next wave waits for it.
hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
  local op = obj.status.operationState
  if hs.status == "Healthy" and op ~= nil and op.phase == "Running" then
    hs.status = "Progressing"
    hs.message = "sync operation running: " .. (op.message or "")
  end
end
return hs
