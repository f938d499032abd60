using System.Net;
using System.Text;

namespace Solvent.Sim.Reports;

/// <summary>A plain HTML table: header cells, then rows of already-formatted cells (encoded here).</summary>
internal sealed class HtmlTable(string id, params string[] header)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Rows added so far.</summary>
    public int Count => _rows.Count;

    /// <summary>Adds one row.</summary>
    public HtmlTable Row(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    /// <summary>Appends the table.</summary>
    public void WriteTo(StringBuilder sb)
    {
        sb.Append("<table id=\"").Append(id).Append("\"><thead><tr>");
        foreach (string h in header)
        {
            sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>");
        foreach (string[] r in _rows)
        {
            sb.Append("<tr>");
            for (int i = 0; i < r.Length; i++)
            {
                sb.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(WebUtility.HtmlEncode(r[i])).Append(i == 0 ? "</th>" : "</td>");
            }

            sb.Append("</tr>");
        }

        sb.Append("</tbody></table>");
    }
}
