-- Health of an Argo CD Application, for the app of apps. Without it, Argo CD
-- (since 1.8) takes a child Application as Healthy at once: waves do not wait.
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
end
return hs
