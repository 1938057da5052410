using System.Security.Cryptography;
using System.Text;

namespace Seismo.Domain.Pipelines;

/// <summary>
/// Ids derived from what identifies a run, so every report of the same run reaches the same pipeline and workflow
/// without a lookup: a pipeline is (project, provider, repository, pipeline name, run id); a workflow is one attempt of it.
/// </summary>
public static class PipelineIds
{
    public static Guid Pipeline(Guid projectId, string provider, string repository, string pipelineName, long runId) =>
        Of($"pipeline\n{projectId:N}\n{provider}\n{repository}\n{pipelineName}\n{runId}");

    public static Guid Workflow(Guid pipelineId, int attempt) => Of($"workflow\n{pipelineId:N}\n{attempt}");

    public static Guid Job(Guid workflowId, string name) => Of($"job\n{workflowId:N}\n{name}");

    // A name-based UUID (version 8, RFC 9562) from SHA-256.
    private static Guid Of(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
